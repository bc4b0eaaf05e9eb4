namespace Platform.Tracking.Tests.Infrastructure;

/// <summary>Test classes in this collection share one SQLite server and one PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class TrackingServersCollection : ICollectionFixture<TrackingServersFixture>
{
    public const string Name = "tracking servers";
}
