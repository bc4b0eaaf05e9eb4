using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Storage;

/// <summary>Registry migrations on SQLite; BEGIN IMMEDIATE serialises two processes that migrate the same file.</summary>
internal sealed class SqliteRegistryMigrator : RegistryMigrator
{
    public SqliteRegistryMigrator(SqlDialect dialect)
        : base(dialect)
    {
    }

    protected override IReadOnlyList<string[]> Migrations => SqliteRegistrySchema.Migrations;

    public override async Task MigrateAsync(long now, CancellationToken cancellationToken)
    {
        await using var connection = await Dialect.OpenConnectionAsync(cancellationToken);
        await using var transaction = await Dialect.BeginWriteTransactionAsync(connection, cancellationToken);
        await ApplyMigrationsAsync(connection, transaction, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
