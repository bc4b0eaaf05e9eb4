namespace Platform.Tracking.Tests.Infrastructure;

/// <summary>Names of the two storage backends that every conformance theory runs against.</summary>
public static class Backends
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static TheoryData<string> All => new() { Sqlite, Postgres };
}
