using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Platform.Tracking.Client;

/// <summary>
/// Sends MLflow REST calls under the tracking URI (path prefix kept), adds the credentials, retries transient
/// failures and turns MLflow error bodies into <see cref="MlflowException"/>.
/// </summary>
internal sealed class MlflowTransport
{
    private const int MaxErrorBodyChars = 16_384;

    private readonly HttpClient _httpClient;
    private readonly TrackingClientOptions _options;
    private readonly RetryPolicy _retryPolicy;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AuthenticationHeaderValue? _authorization;

    public MlflowTransport(HttpClient httpClient, TrackingClientOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _httpClient = httpClient;
        _options = options;
        _retryPolicy = new RetryPolicy(options);
        _timeProvider = timeProvider;
        _logger = logger;
        TrackingUri = options.TrackingUri!;
        BaseUrl = TrackingUri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        _authorization = CreateAuthorization(options);
    }

    /// <summary>The tracking URI as configured.</summary>
    public Uri TrackingUri { get; }

    /// <summary>The tracking URI without a trailing slash. Every API path is appended to it.</summary>
    public string BaseUrl { get; }

    public HttpClient HttpClient => _httpClient;

    public long NowMilliseconds => _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Sends a JSON body with <paramref name="method"/> to <c>/api/2.0/mlflow/{endpoint}</c> and reads the JSON response.</summary>
    public async Task<TResponse> SendJsonAsync<TRequest, TResponse>(
        HttpMethod method,
        string endpoint,
        TRequest body,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken)
    {
        var uri = new Uri($"{BaseUrl}/api/2.0/mlflow/{endpoint}");
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, requestType);
        using var response = await SendAsync(
            () => new HttpRequestMessage(method, uri) { Content = CreateJsonContent(payload) },
            retryable: true,
            HttpCompletionOption.ResponseContentRead,
            _options.RequestTimeout,
            cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a GET to <c>/api/2.0/mlflow/{endpoint}</c> with the message as query parameters.</summary>
    public async Task<TResponse> GetJsonAsync<TResponse>(
        string endpoint, QueryParameters query, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        var uri = new Uri($"{BaseUrl}/api/2.0/mlflow/{endpoint}{query}");
        using var response = await SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, uri),
            retryable: true,
            HttpCompletionOption.ResponseContentRead,
            _options.RequestTimeout,
            cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync(response, responseType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the request that <paramref name="createRequest"/> builds (once per attempt, so the body is fresh) and
    /// returns the successful response, which the caller disposes. Retries only when <paramref name="retryable"/>.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> createRequest,
        bool retryable,
        HttpCompletionOption completionOption,
        TimeSpan? attemptTimeout,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = createRequest();
            request.Headers.Authorization = _authorization;
            var canRetry = retryable && attempt < _retryPolicy.MaxRetries;

            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (attemptTimeout is { } timeout)
            {
                timeoutSource.CancelAfter(timeout);
            }

            HttpResponseMessage response;
            try
            {
                response = await _httpClient.SendAsync(request, completionOption, timeoutSource.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (canRetry)
            {
                await DelayBeforeRetryAsync(request, attempt, null, ex.Message, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                // HttpClient lets a few transport failures through unwrapped, such as a connection the server resets
                // right after accepting it (a SocketException from reading the remote endpoint). They are retried too.
                if (!canRetry)
                {
                    throw new HttpRequestException(
                        $"MLflow request {request.Method} {request.RequestUri?.AbsolutePath} failed ({attempt + 1} attempts): {ex.Message}. " +
                        $"Check that the tracking server at {TrackingUri} is running.",
                        ex);
                }

                await DelayBeforeRetryAsync(request, attempt, null, ex.Message, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (!canRetry)
                {
                    throw new TimeoutException(
                        $"MLflow request {request.Method} {request.RequestUri?.AbsolutePath} timed out after {attemptTimeout ?? _httpClient.Timeout} " +
                        $"({attempt + 1} attempts). Check that the tracking server at {TrackingUri} is reachable, or raise RequestTimeout.",
                        ex);
                }

                await DelayBeforeRetryAsync(request, attempt, null, "timed out", cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            if (!canRetry || !RetryPolicy.IsRetryable(response.StatusCode))
            {
                using (response)
                {
                    throw await CreateExceptionAsync(request, response, cancellationToken).ConfigureAwait(false);
                }
            }

            var retryAfter = response.Headers.RetryAfter;
            var reason = $"HTTP {(int)response.StatusCode}";
            response.Dispose();
            await DelayBeforeRetryAsync(request, attempt, retryAfter, reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads a success body as MLflow JSON. A non-JSON body (such as an HTML login page) is an error.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // An empty body is read as {} because some servers send empty messages without a body.
            return JsonSerializer.Deserialize(bytes.Length == 0 ? "{}"u8 : bytes, type)
                ?? throw new JsonException("The body is the JSON literal null.");
        }
        catch (JsonException ex)
        {
            var request = response.RequestMessage;
            throw new MlflowException(
                MlflowErrorCodes.InvalidResponse,
                response.StatusCode,
                $"the response body is not valid MLflow JSON ({ex.Message}); body starts with '{Truncate(Encoding.UTF8.GetString(bytes), 200)}'. " +
                "Check that the tracking URI points at an MLflow server and not at a login page.",
                request?.Method.Method ?? "?",
                request?.RequestUri?.AbsolutePath ?? "?");
        }
    }

    private async Task DelayBeforeRetryAsync(
        HttpRequestMessage request, int attempt, RetryConditionHeaderValue? retryAfter, string reason, CancellationToken cancellationToken)
    {
        var delay = _retryPolicy.GetDelay(attempt, retryAfter, _timeProvider.GetUtcNow());
        ClientLog.RetryingRequest(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, attempt + 1, _retryPolicy.MaxRetries, (long)delay.TotalMilliseconds, reason);
        await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<MlflowException> CreateExceptionAsync(
        HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
        string? errorCode = null;
        string? message = null;
        try
        {
            var error = JsonSerializer.Deserialize(body, MlflowJsonContext.Default.ErrorResponse);
            errorCode = error?.ErrorCode;
            message = error?.Message;
        }
        catch (JsonException)
        {
            // A non-JSON error body (proxy page, plain text) still yields an error code derived from the status.
        }

        return new MlflowException(
            string.IsNullOrEmpty(errorCode) ? MlflowException.ErrorCodeForStatus(response.StatusCode) : errorCode,
            response.StatusCode,
            message ?? (string.IsNullOrWhiteSpace(body) ? response.ReasonPhrase ?? string.Empty : Truncate(body, 2000)),
            request.Method.Method,
            request.RequestUri?.AbsolutePath ?? "?");
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxErrorBodyChars];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
        return new string(buffer, 0, read);
    }

    private static ByteArrayContent CreateJsonContent(byte[] payload)
    {
        var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    // Basic wins over a bearer token when both are configured, as in MLflow's rest_utils.http_request.
    private static AuthenticationHeaderValue? CreateAuthorization(TrackingClientOptions options)
    {
        if (!string.IsNullOrEmpty(options.Username) && !string.IsNullOrEmpty(options.Password))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            return new AuthenticationHeaderValue("Basic", credentials);
        }

        return string.IsNullOrEmpty(options.Token) ? null : new AuthenticationHeaderValue("Bearer", options.Token);
    }

    private static string Truncate(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength] + "...";
}
