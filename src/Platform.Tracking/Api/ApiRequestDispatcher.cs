using System.Buffers;
using System.Text.Json;
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

        // The body buffer and the parsed documents are pooled, and both go back once the handler has finished.
        // A log-batch body of 1000 metrics is about 100 KB, so fresh arrays would land on the large object heap.
        byte[]? body = null;
        var documents = new List<JsonDocument>(1);
        try
        {
            RequestMessage message;
            if (HttpMethods.IsGet(context.Request.Method))
            {
                message = RequestMessage.FromQuery(context.Request.Query);
            }
            else
            {
                int length;
                (body, length) = await ReadBodyAsync(context, maxBodyBytes);
                message = RequestMessage.FromJson(body.AsMemory(0, length), documents);
            }

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
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }

            if (body is not null)
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
    }

    /// <summary>
    /// Reads the whole body into a pooled array, which grows by renting a larger one. Returns the array, which the
    /// caller returns to the pool, and the body length. On failure the array is returned here.
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpContext context, int maxBytes)
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

        // One byte more than Content-Length, so the read that reports the end of the body needs no larger array.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } contentLength ? (int)contentLength + 1 : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > maxBytes)
                {
                    throw TooLarge(length, maxBytes);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static TrackingException TooLarge(long size, int maxBytes) =>
        TrackingException.InvalidParameter(
            $"The request body has {size} bytes, which exceeds the limit of {maxBytes} bytes for this endpoint. Split the request.");

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Request {Method} {Path} failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "Request {Path} was aborted by the client")]
    private static partial void LogRequestAborted(ILogger logger, string path);
}
