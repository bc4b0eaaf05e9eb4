namespace Platform.Tracking.Tests.Registry;

/// <summary>Registry test classes share one SQLite server and one PostgreSQL server with the registry plugged in.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryServersCollection : ICollectionFixture<RegistryServersFixture>
{
    public const string Name = "registry servers";
}
