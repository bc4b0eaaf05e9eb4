using System.Text.Json.Serialization;

namespace Platform.Tracking.Client;

/// <summary>Run lifecycle status as MLflow sends it (<c>RUNNING</c>, <c>FINISHED</c>, ...).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    [JsonStringEnumMemberName("RUNNING")] Running,
    [JsonStringEnumMemberName("SCHEDULED")] Scheduled,
    [JsonStringEnumMemberName("FINISHED")] Finished,
    [JsonStringEnumMemberName("FAILED")] Failed,
    [JsonStringEnumMemberName("KILLED")] Killed,
}

/// <summary>Which lifecycle stages a search covers.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ViewType>))]
public enum ViewType
{
    [JsonStringEnumMemberName("ACTIVE_ONLY")] ActiveOnly,
    [JsonStringEnumMemberName("DELETED_ONLY")] DeletedOnly,
    [JsonStringEnumMemberName("ALL")] All,
}

/// <summary>Key and value of an experiment tag.</summary>
public sealed record ExperimentTag(string Key, string Value);

/// <summary>Key and value of a run tag.</summary>
public sealed record RunTag(string Key, string Value);

/// <summary>Key and value of a run parameter.</summary>
public sealed record Param(string Key, string Value);

/// <summary>One metric point. <see cref="Timestamp"/> is in milliseconds since the Unix epoch.</summary>
public sealed record Metric(string Key, double Value, long Timestamp, long Step);

// List properties use setters, not init, because System.Text.Json source generation assigns every init property
// (null when the field is absent) and so would drop the empty-list defaults.

/// <summary>MLflow experiment. Times are milliseconds since the Unix epoch.</summary>
public sealed record Experiment
{
    public required string ExperimentId { get; init; }
    public required string Name { get; init; }
    public string? ArtifactLocation { get; init; }
    public string? LifecycleStage { get; init; }
    public long? LastUpdateTime { get; init; }
    public long? CreationTime { get; init; }
    public IReadOnlyList<ExperimentTag> Tags { get; set; } = [];
}

/// <summary>Run metadata. Times are milliseconds since the Unix epoch.</summary>
public sealed record RunInfo
{
    public required string RunId { get; init; }
    public string? RunUuid { get; init; }
    public string? RunName { get; init; }
    public required string ExperimentId { get; init; }
    public string? UserId { get; init; }
    public RunStatus Status { get; init; }
    public long? StartTime { get; init; }
    public long? EndTime { get; init; }
    public string? ArtifactUri { get; init; }
    public string? LifecycleStage { get; init; }
}

/// <summary>Latest metric values, parameters and tags of a run.</summary>
public sealed record RunData
{
    public IReadOnlyList<Metric> Metrics { get; set; } = [];
    public IReadOnlyList<Param> Params { get; set; } = [];
    public IReadOnlyList<RunTag> Tags { get; set; } = [];
}

/// <summary>MLflow run: its metadata and its data.</summary>
public sealed record Run
{
    public required RunInfo Info { get; init; }
    public RunData Data { get; set; } = new();
}

/// <summary>Entry of an artifact listing. <see cref="Path"/> is relative to the run's artifact root.</summary>
public sealed record ArtifactFileInfo
{
    public required string Path { get; init; }
    public bool IsDir { get; init; }
    public long? FileSize { get; init; }
}
