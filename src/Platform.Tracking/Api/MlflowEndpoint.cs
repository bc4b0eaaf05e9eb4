namespace Platform.Tracking.Api;

/// <summary>One MLflow route: the HTTP methods it accepts, its handler and its request body limit in bytes.</summary>
internal sealed record MlflowEndpoint(string[] Methods, Func<HttpContext, RequestMessage, Task> Handler, int MaxBodyBytes = TrackingLimits.MaxRequestBytes);
