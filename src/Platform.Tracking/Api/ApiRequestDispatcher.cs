using Microsoft.AspNetCore.Http.Features;

namespace Platform.Tracking.Api;

/// <summary>
/// Runs one MLflow API request for every router of the server: it reads the body (GET reads the query string),
/// enforces the body size limit and turns every failure into MLflow's JSON error. A <see cref="TrackingException"/>
/// keeps its error code, a malformed request is 400 BAD_REQUEST, and anything else is logged and sent as 500 INTERNAL_ERROR.
/// </summary>
internal sealed partial class ApiRequestDispatcher
{
    private readonly ILogger<ApiRequestDispatcher> _logger;

    public ApiRequestDispatcher(ILogger<ApiRequestDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(logger);

        _logger = logger;
    }

    /// <summary>Writes 405 with an <c>Allow</c> header that lists <paramref name="allowedMethods"/>.</summary>
    public static Task WriteMethodNotAllowedAsync(HttpContext context, IReadOnlyCollection<string> allowedMethods)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(allowedMethods);

        context.Response.Headers.Allow = string.Join(", ", allowedMethods);
        return JsonResults.WriteErrorAsync(context, ErrorCodes.MethodNotAllowed,
            $"Method {context.Request.Method} is not allowed for {context.Request.Path}. Use {string.Join(" or ", allowedMethods)}.");
    }

    /// <summary>Reads the request into a <see cref="RequestMessage"/> and runs <paramref name="handler"/> on it.</summary>
    public async Task InvokeAsync(HttpContext context, int maxBodyBytes, Func<HttpContext, RequestMessage, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handler);

        try
        {
            var message = HttpMethods.IsGet(context.Request.Method)
                ? RequestMessage.FromQuery(context.Request.Query)
                : RequestMessage.FromJson(await ReadBodyAsync(context, maxBodyBytes));
            await handler(context, message);
        }
        catch (TrackingException ex)
        {
            await JsonResults.WriteErrorAsync(context, ex.ErrorCode, ex.Message);
        }
        catch (BadHttpRequestException ex)
        {
            await JsonResults.WriteErrorAsync(context, ErrorCodes.BadRequest, $"Invalid request: {ex.Message}");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            LogRequestAborted(_logger, context.Request.Path);
        }
#pragma warning disable CA1031 // Any other failure must still reach the client as MLflow's JSON error, after it is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogRequestFailed(_logger, ex, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                await JsonResults.WriteErrorAsync(context, ErrorCodes.InternalError,
                    $"Internal error while handling {context.Request.Path}: {ex.GetType().Name}. See the server log.");
            }
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(request.ContentLength.Value, maxBytes);
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes + 1L;
        }

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 4096);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw TooLarge(buffer.Length, maxBytes);
            }
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    private static TrackingException TooLarge(long size, int maxBytes) =>
        TrackingException.InvalidParameter(
            $"The request body has {size} bytes, which exceeds the limit of {maxBytes} bytes for this endpoint. Split the request.");

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Request {Path} was aborted by the client")]
    private static partial void LogRequestAborted(ILogger logger, string path);
}
