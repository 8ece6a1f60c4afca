using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// A watch: newline-delimited {"type","object"} events after the given resourceVersion (from "now" with ADDED
/// events for what exists when none or "0" is given), until timeoutSeconds, the client leaves, or the server stops.
/// </summary>
internal sealed class WatchStream(ObjectStore store, ResourceType type, string? ns, Func<JsonObject, bool> filter)
{
    public async Task ServeAsync(HttpContext context, IQueryCollection query, CancellationToken stopping)
    {
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        linked.CancelAfter(timeout);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(linked.Token);
        // Headers now, not with the first event: client-go's Watch() returns only when they arrive, and kubectl
        // waits for its watch to return before it exits.
        await context.Response.Body.FlushAsync(linked.Token);
        try
        {
            long after;
            if (long.TryParse(query["resourceVersion"], out var given) && given > 0)
            {
                after = given;
            }
            else
            {
                after = store.CurrentVersion;
                foreach (var existing in store.List(type, ns, filter)) await SendAsync(context, "ADDED", existing, linked.Token);
            }

            while (!linked.IsCancellationRequested)
            {
                var (events, next) = store.ChangesAfter(after);
                foreach (var change in events)
                {
                    after = change.ResourceVersion;
                    if (change.Resource != type || (ns is not null && change.Object.Str("metadata", "namespace") != ns) || !filter(change.Object)) continue;
                    await SendAsync(context, change.Type, change.Object, linked.Token);
                }

                await next.WaitAsync(linked.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The watch ends: timeout, client gone or server stopping; the client starts a new one if it needs to.
        }
    }

    private static async Task SendAsync(HttpContext context, string eventType, JsonObject value, CancellationToken cancellationToken)
    {
        var line = new JsonObject { ["type"] = eventType, ["object"] = value.DeepClone() }.ToJsonString() + "\n";
        await context.Response.WriteAsync(line, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }
}
