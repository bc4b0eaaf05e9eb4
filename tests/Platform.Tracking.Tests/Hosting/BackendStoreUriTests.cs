using Npgsql;
using Platform.Tracking.Hosting;

namespace Platform.Tracking.Tests.Hosting;

public sealed class BackendStoreUriTests
{
    [Fact]
    public void Parse_SqliteAbsolutePath()
    {
        var uri = BackendStoreUri.Parse("sqlite:////var/data/mlflow.db");

        Assert.True(uri.IsSqlite);
        Assert.Equal("/var/data/mlflow.db", uri.SqlitePath);
    }

    [Fact]
    public void Parse_SqliteMemory()
    {
        Assert.Equal(":memory:", BackendStoreUri.Parse("sqlite:///:memory:").SqlitePath);
    }

    [Fact]
    public void Parse_PostgresWithSchema()
    {
        var uri = BackendStoreUri.Parse("postgresql://alice:p%40ss@db.internal:6543/lab?schema=tenant_alice");

        var builder = new NpgsqlConnectionStringBuilder(uri.PostgresConnectionString);
        Assert.False(uri.IsSqlite);
        Assert.Equal("db.internal", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("lab", builder.Database);
        Assert.Equal("alice", builder.Username);
        Assert.Equal("p@ss", builder.Password);
        Assert.Equal("tenant_alice", uri.PostgresSchema);
    }

    [Fact]
    public void Parse_PostgresWithoutSchema_UsesDefaultSchema()
    {
        Assert.Equal(BackendStoreUri.DefaultPostgresSchema, BackendStoreUri.Parse("postgresql://u:p@h/db").PostgresSchema);
    }

    [Theory]
    [InlineData("mysql://u:p@h/db")]
    [InlineData("sqlite:///")]
    [InlineData("postgresql://u:p@h/")]
    [InlineData("postgresql://u:p@h/db?color=red")]
    public void Parse_Invalid_Throws(string text)
    {
        Assert.Throws<FormatException>(() => BackendStoreUri.Parse(text));
    }

    [Fact]
    public void Redact_HidesPassword()
    {
        Assert.Equal("postgresql://alice:***@h:5432/db", BackendStoreUri.Redact("postgresql://alice:secret@h:5432/db"));
    }
}
