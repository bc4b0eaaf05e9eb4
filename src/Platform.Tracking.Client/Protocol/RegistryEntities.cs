namespace Platform.Tracking.Client;

/// <summary>Key and value of a registered-model tag.</summary>
public sealed record RegisteredModelTag(string Key, string Value);

/// <summary>Key and value of a model-version tag.</summary>
public sealed record ModelVersionTag(string Key, string Value);

/// <summary>Alias that points at one version of a registered model.</summary>
public sealed record RegisteredModelAlias(string Alias, string Version);

/// <summary>MLflow registered model. Timestamps are milliseconds since the Unix epoch.</summary>
public sealed record RegisteredModel
{
    public required string Name { get; init; }
    public long? CreationTimestamp { get; init; }
    public long? LastUpdatedTimestamp { get; init; }
    public string? UserId { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<ModelVersion> LatestVersions { get; set; } = [];
    public IReadOnlyList<RegisteredModelTag> Tags { get; set; } = [];
    public IReadOnlyList<RegisteredModelAlias> Aliases { get; set; } = [];
}

/// <summary>
/// MLflow model version. <see cref="Status"/> is <c>PENDING_REGISTRATION</c>, <c>FAILED_REGISTRATION</c> or
/// <c>READY</c>, and <see cref="CurrentStage"/> is a legacy stage name such as <c>None</c> or <c>Production</c>.
/// </summary>
public sealed record ModelVersion
{
    public required string Name { get; init; }
    public required string Version { get; init; }
    public long? CreationTimestamp { get; init; }
    public long? LastUpdatedTimestamp { get; init; }
    public string? UserId { get; init; }
    public string? CurrentStage { get; init; }
    public string? Description { get; init; }
    public string? Source { get; init; }
    public string? RunId { get; init; }
    public string? Status { get; init; }
    public string? StatusMessage { get; init; }
    public IReadOnlyList<ModelVersionTag> Tags { get; set; } = [];
    public string? RunLink { get; init; }
    public IReadOnlyList<string> Aliases { get; set; } = [];
}
