namespace Platform.Tracking.Client;

/// <summary>
/// Settings of <see cref="TrackingClient"/>. <see cref="FromEnvironment()"/> reads the same variables as the
/// MLflow Python client. Code or configuration (section <see cref="SectionName"/>) may override each value.
/// </summary>
public sealed class TrackingClientOptions
{
    /// <summary>Configuration section bound by <see cref="TrackingServiceCollectionExtensions.AddTrackingClient"/>.</summary>
    public const string SectionName = "Tracking";

    /// <summary>
    /// Base URI of the tracking server, for example <c>http://127.0.0.1:5000</c> or a gateway URI with a path prefix
    /// such as <c>https://lab.example.org/u/alice</c>. The prefix is kept for every call.
    /// </summary>
    public Uri? TrackingUri { get; set; }

    /// <summary>Bearer token (<c>MLFLOW_TRACKING_TOKEN</c>). Ignored when both user name and password are set.</summary>
    /// <remarks>NOTE: credentials are read once, when the client is created. MLflow's Python client rereads them before every request.</remarks>
    public string? Token { get; set; }

    /// <summary>Basic-auth user name (<c>MLFLOW_TRACKING_USERNAME</c>).</summary>
    public string? Username { get; set; }

    /// <summary>Basic-auth password (<c>MLFLOW_TRACKING_PASSWORD</c>).</summary>
    public string? Password { get; set; }

    /// <summary>Retries after the first attempt for 408, 429, 500, 502, 503, 504 and connection failures (MLflow 2.x uses 5).</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Delay before the first retry. Each further retry doubles it up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound of the exponential backoff delay, before jitter.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Maximum random delay added to each backoff so that many clients do not retry in step.</summary>
    public TimeSpan MaxJitter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound on a server's <c>Retry-After</c> value. Longer values are cut to this.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of one attempt of a JSON API call (<c>MLFLOW_HTTP_REQUEST_TIMEOUT</c>, 120 s by default). Artifact transfers have none.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Interval at which an active run sends its buffered metrics in the background.</summary>
    public TimeSpan MetricFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Metrics per <c>runs/log-batch</c> request. MLflow servers reject more than 1000.</summary>
    public int MaxMetricsPerBatch { get; set; } = MlflowLimits.MaxMetricsPerBatch;

    /// <summary>
    /// Buffered metrics above which <see cref="ActiveRun.LogMetricAsync"/> waits for a flush, which bounds memory
    /// when the server is slower than the producer.
    /// </summary>
    public int MaxBufferedMetrics { get; set; } = 100_000;

    /// <summary>
    /// Maximum time that ending a run FAILED or KILLED may take, the final metric flush included. A process that is
    /// failing or being stopped then does not wait out the retries when the tracking server is gone, and the run
    /// stays RUNNING on the server instead.
    /// </summary>
    public TimeSpan AbortedRunEndTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Folder of the on-disk cache of downloaded model versions.</summary>
    public string ModelCacheDirectory { get; set; } =
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "labplatform", "models");

    /// <summary>Reads <c>MLFLOW_TRACKING_URI</c>, the credential variables and the HTTP retry variables of the process.</summary>
    public static TrackingClientOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads the MLflow variables through <paramref name="getVariable"/>, which returns null for an unset variable.</summary>
    public static TrackingClientOptions FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var options = new TrackingClientOptions();
        options.ApplyEnvironment(getVariable);
        return options;
    }

    /// <summary>Overwrites the values whose MLflow variable is set and non-empty.</summary>
    public void ApplyEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (NonEmpty(getVariable("MLFLOW_TRACKING_URI")) is { } uri)
        {
            TrackingUri = ParseTrackingUri(uri, "MLFLOW_TRACKING_URI");
        }

        Token = NonEmpty(getVariable("MLFLOW_TRACKING_TOKEN")) ?? Token;
        Username = NonEmpty(getVariable("MLFLOW_TRACKING_USERNAME")) ?? Username;
        Password = NonEmpty(getVariable("MLFLOW_TRACKING_PASSWORD")) ?? Password;
        if (NonEmpty(getVariable("MLFLOW_HTTP_REQUEST_MAX_RETRIES")) is { } retries)
        {
            MaxRetries = ParseInteger(retries, "MLFLOW_HTTP_REQUEST_MAX_RETRIES");
        }

        if (NonEmpty(getVariable("MLFLOW_HTTP_REQUEST_TIMEOUT")) is { } timeout)
        {
            RequestTimeout = TimeSpan.FromSeconds(ParseInteger(timeout, "MLFLOW_HTTP_REQUEST_TIMEOUT"));
        }
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first invalid setting and how to fix it.</summary>
    public void Validate()
    {
        if (TrackingUri is null)
        {
            throw new InvalidOperationException(
                "The tracking URI is missing. Set MLFLOW_TRACKING_URI (for example http://127.0.0.1:5000) or TrackingClientOptions.TrackingUri.");
        }

        ParseTrackingUri(TrackingUri.OriginalString, nameof(TrackingUri));
        RequireRange(MaxRetries, 0, 10, nameof(MaxRetries));
        RequireRange(MaxMetricsPerBatch, 1, MlflowLimits.MaxMetricsPerBatch, nameof(MaxMetricsPerBatch));
        RequireRange(MaxBufferedMetrics, MaxMetricsPerBatch, int.MaxValue, nameof(MaxBufferedMetrics));
        RequirePositive(RequestTimeout, nameof(RequestTimeout));
        RequirePositive(MetricFlushInterval, nameof(MetricFlushInterval));
        RequirePositive(AbortedRunEndTimeout, nameof(AbortedRunEndTimeout));
        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < TimeSpan.Zero || MaxJitter < TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
        {
            throw new InvalidOperationException("InitialBackoff, MaxBackoff, MaxJitter and MaxRetryAfter must not be negative.");
        }

        if (string.IsNullOrWhiteSpace(ModelCacheDirectory))
        {
            throw new InvalidOperationException("ModelCacheDirectory is empty; set it to a writable folder.");
        }
    }

    internal static Uri ParseTrackingUri(string value, string source)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                $"{source} '{value}' is not an absolute http or https URI. Use a server address such as http://127.0.0.1:5000; " +
                "file stores and 'databricks' URIs are not supported by this client.");
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidOperationException($"{source} '{value}' must not contain a query or fragment.");
        }

        return uri;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int ParseInteger(string value, string variable) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number) && number >= 0
            ? number
            : throw new InvalidOperationException($"{variable} '{value}' is not a non-negative integer.");

    private static void RequireRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            throw new InvalidOperationException($"{name} is {value}; it must be between {min} and {max}.");
        }
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{name} is {value}; it must be positive.");
        }
    }
}
