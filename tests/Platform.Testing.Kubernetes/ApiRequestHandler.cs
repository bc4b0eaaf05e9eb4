using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Platform.Testing.Kubernetes;

/// <summary>Routes Kubernetes REST paths to the store: discovery, CRUD, patch, watch, the status subresource and Table output.</summary>
internal sealed class ApiRequestHandler(ResourceRegistry registry, ObjectStore store, KubernetesTestServerOptions options, TimeProvider time)
{
    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context);
        }
        catch (KubernetesApiException ex)
        {
            await WriteJsonAsync(context, ex.Code, ex.ToStatus());
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // A bug in the test server must show its cause in the client's error, not an empty 500.
            var error = new KubernetesApiException(500, "InternalError", $"Test server failed: {ex}");
            await WriteJsonAsync(context, 500, error.ToStatus());
        }
        catch (JsonException ex)
        {
            var error = new KubernetesApiException(400, "BadRequest", $"Invalid JSON body: {ex.Message}");
            await WriteJsonAsync(context, 400, error.ToStatus());
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var segments = (context.Request.Path.Value ?? "/").Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]:
                await WriteJsonAsync(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0-labplatform-test", ["platform"] = "linux/amd64" });
                return;
            case ["openapi", "v3"]:
                await WriteJsonAsync(context, 200, OpenApiDocuments.Root(registry));
                return;
            case ["openapi", "v3", "api", var version]:
                await WriteJsonAsync(context, 200, OpenApiDocuments.GroupVersion(registry, "", version));
                return;
            case ["openapi", "v3", "apis", var group, var version]:
                await WriteJsonAsync(context, 200, OpenApiDocuments.GroupVersion(registry, group, version));
                return;
            case ["api"]:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.CoreVersions());
                return;
            case ["apis"]:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.Groups(registry));
                return;
            case ["api", var version]:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.ResourceList(registry, "", version));
                return;
            case ["apis", var group, var version]:
                await WriteJsonAsync(context, 200, DiscoveryDocuments.ResourceList(registry, group, version));
                return;
            case ["api", var version, .. var rest]:
                await HandleResourceAsync(context, "", version, rest);
                return;
            case ["apis", var group, var version, .. var rest]:
                await HandleResourceAsync(context, group, version, rest);
                return;
            default:
                throw new KubernetesApiException(404, "NotFound", $"the server could not find the requested resource ({context.Request.Path})");
        }
    }

    private async Task HandleResourceAsync(HttpContext context, string group, string version, string[] rest)
    {
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && registry.Find(group, version, rest[2]) is { Namespaced: true })
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var type = registry.Find(group, version, rest[0])
            ?? throw new KubernetesApiException(404, "NotFound", $"the server could not find the requested resource (resource '{rest[0]}' in '{group}/{version}')");
        var name = rest.Length > 1 ? rest[1] : null;
        var subresource = rest.Length > 2 ? rest[2] : null;
        if (subresource is not null && (subresource != "status" || !type.HasStatusSubresource))
        {
            throw new KubernetesApiException(404, "NotFound", $"{type.Plural} has no subresource '{subresource}'");
        }

        var statusOnly = subresource == "status";
        var method = context.Request.Method;
        var query = context.Request.Query;
        switch (method)
        {
            case "GET" when name is null && query["watch"] is ["true" or "1"]:
                await WatchAsync(context, type, ns);
                return;
            case "GET" when name is null:
                await ListAsync(context, type, ns);
                return;
            case "GET":
                await WriteObjectAsync(context, 200, type, store.Get(type, ns, name));
                return;
            case "POST" when name is null:
                await WriteJsonAsync(context, 201, store.Create(type, ns, await ReadBodyAsync(context)));
                return;
            case "PUT" when name is not null:
                var replacement = await ReadBodyAsync(context);
                await WriteJsonAsync(context, 200, store.Update(type, ns, name, _ => replacement, statusOnly));
                return;
            case "PATCH" when name is not null:
                await PatchAsync(context, type, ns, name, statusOnly);
                return;
            case "DELETE" when name is not null:
                await WriteJsonAsync(context, 200, store.Delete(type, ns, name));
                return;
            default:
                throw new KubernetesApiException(405, "MethodNotAllowed", $"{method} is not supported on {context.Request.Path}");
        }
    }

    private async Task PatchAsync(HttpContext context, ResourceType type, string? ns, string name, bool statusOnly)
    {
        var contentType = context.Request.ContentType ?? "";
        var mediaType = contentType.Split(';')[0].Trim();

        // NOTE: a strategic merge patch is applied as a JSON merge patch, so lists are replaced whole
        // rather than merged by key. kubectl and the operator only patch maps and whole lists here.
        if (mediaType is not ("application/merge-patch+json" or "application/strategic-merge-patch+json"))
        {
            throw new KubernetesApiException(415, "UnsupportedMediaType",
                $"Patch type '{mediaType}' is not supported by the test server; use application/merge-patch+json or application/strategic-merge-patch+json.");
        }

        var patch = JsonNode.Parse(await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted));
        var result = store.Update(type, ns, name, current => (JsonObject)JsonMergePatch.Apply(current, patch)!, statusOnly);
        await WriteJsonAsync(context, 200, result);
    }

    private async Task ListAsync(HttpContext context, ResourceType type, string? ns)
    {
        var (items, version) = store.List(type, ns, LabelSelector.Parse(context.Request.Query["labelSelector"]), FieldSelector.Parse(context.Request.Query["fieldSelector"]));
        if (WantsTable(context))
        {
            await WriteJsonAsync(context, 200, TableConverter.Convert(type, items, version, time));
            return;
        }

        var list = new JsonObject
        {
            ["kind"] = $"{type.Kind}List",
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(items.Select(i => (JsonNode?)i).ToArray()),
        };
        await WriteJsonAsync(context, 200, list);
    }

    private async Task WatchAsync(HttpContext context, ResourceType type, string? ns)
    {
        var query = context.Request.Query;
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(query["fieldSelector"]);
        var bookmarks = query["allowWatchBookmarks"] is ["true" or "1"];
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : options.MaxWatchDuration;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        WatchSubscription watch;
        try
        {
            watch = store.OpenWatch(type, ns, query["resourceVersion"], labels, fields);
        }
        catch (KubernetesApiException ex) when (ex.Code == 410)
        {
            // The API server reports an expired version inside a 200 stream as one ERROR event, then closes it.
            var line = new JsonObject { ["type"] = "ERROR", ["object"] = ex.ToStatus() }.ToJsonString(JsonOutput.Options);
            await context.Response.WriteAsync(line + "\n", context.RequestAborted);
            return;
        }

        await context.Response.Body.FlushAsync(context.RequestAborted);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        try
        {
            await StreamWatchAsync(context, watch, bookmarks, deadline.Token);
        }
        catch (OperationCanceledException)
        {
            // The client went away or the watch reached its timeout; both end the stream normally.
        }
        finally
        {
            store.CloseWatch(watch);
        }
    }

    private async Task StreamWatchAsync(HttpContext context, WatchSubscription watch, bool bookmarks, CancellationToken cancellationToken)
    {
        var reader = watch.Lines.Reader;
        while (true)
        {
            while (reader.TryRead(out var line))
            {
                await context.Response.WriteAsync(line + "\n", cancellationToken);
            }

            await context.Response.Body.FlushAsync(cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(options.BookmarkInterval);
            try
            {
                if (!await reader.WaitToReadAsync(wait.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (bookmarks)
                {
                    store.SendBookmark(watch);
                }
            }
        }
    }

    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.Any(a => a is not null && a.Contains("as=Table", StringComparison.Ordinal));

    private async Task WriteObjectAsync(HttpContext context, int code, ResourceType type, JsonObject item)
    {
        if (WantsTable(context))
        {
            await WriteJsonAsync(context, code, TableConverter.Convert(type, [item], store.CurrentResourceVersion, time));
            return;
        }

        await WriteJsonAsync(context, code, item);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        var node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        return node as JsonObject ?? throw new KubernetesApiException(400, "BadRequest", "The request body must be a JSON object.");
    }

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(JsonOutput.Options), context.RequestAborted);
    }
}
