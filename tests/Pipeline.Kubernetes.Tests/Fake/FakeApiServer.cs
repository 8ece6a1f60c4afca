using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipeline.Kubernetes.Api;
using Pipeline.Kubernetes.Manifests;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// A Kubernetes API server for tests: plain HTTP on 127.0.0.1, the REST paths, verbs, discovery, watches and
/// Status errors kubectl uses, over an <see cref="ObjectStore"/>, with a <see cref="DeploymentController"/>
/// moving Deployments along. Every request is recorded (method and path) so tests can see what a client did.
/// </summary>
internal sealed class FakeApiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<string> requests = [];

    private FakeApiServer(WebApplication app, ObjectStore store, DeploymentController controller)
    {
        this.app = app;
        Store = store;
        Controller = controller;
    }

    public ObjectStore Store { get; }

    public DeploymentController Controller { get; }

    public Uri Address { get; private set; } = null!;

    public IReadOnlyList<string> Requests { get { lock (requests) return [.. requests]; } }

    /// <summary>
    /// Starts on a free loopback port; the controller steps every <paramref name="tick"/>. With
    /// <paramref name="certificate"/> (and its key) it serves HTTPS instead of plain HTTP.
    /// </summary>
    public static async Task<FakeApiServer> StartAsync(TimeSpan tick, TimeProvider? time = null, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null) listen.UseHttps(certificate);
        }));
        var app = builder.Build();
        var store = new ObjectStore(time ?? TimeProvider.System);
        foreach (var name in new[] { "default", "kube-system" })
        {
            store.Create(ResourceType.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, "fake-apiserver");
        }

        var server = new FakeApiServer(app, store, new DeploymentController(store));
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        _ = server.Controller.RunAsync(tick, server.stopping.Token);
        return server;
    }

    /// <summary>A kubeconfig pointing kubectl (or the loader) at this server; <paramref name="clusterSettings"/> are extra lines of its cluster entry.</summary>
    public string Kubeconfig(string @namespace = "default", params string[] clusterSettings) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {Address.ToString().TrimEnd('/')}
            {string.Join("\n    ", clusterSettings)}
        users:
        - name: tester
          user:
            token: fake-token
        contexts:
        - name: fake
          context:
            cluster: fake
            user: tester
            namespace: {@namespace}
        current-context: fake
        """;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        lock (requests) requests.Add($"{request.Method} {request.Path}{request.QueryString}");
        try
        {
            var answer = await RouteAsync(context);
            if (answer is not null) await WriteAsync(context, 200, answer);
        }
        catch (StatusException e)
        {
            await WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException or InvalidOperationException or FormatException)
        {
            await WriteAsync(context, 400, StatusException.BadRequest($"the request body is not valid: {e.Message}").ToStatus());
        }
    }

    private async Task<JsonObject?> RouteAsync(HttpContext context)
    {
        var segments = context.Request.Path.Value!.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]: return Discovery.Version();
            case ["openapi", "v3"]: return OpenApi.Root();
            case ["openapi", "v3", .. var gv]: return OpenApi.GroupVersion(string.Join('/', gv)) ?? throw StatusException.NotFound("", context.Request.Path);
            case ["api"]: return Discovery.CoreVersions(Address.Authority);
            case ["apis"]: return Discovery.Groups();
            case ["api", var v]: return Discovery.Resources("", v) ?? throw StatusException.NotFound("", context.Request.Path);
            case ["apis", var g]: return Discovery.Group(g) ?? throw StatusException.NotFound("", context.Request.Path);
            case ["apis", var g, var v]: return Discovery.Resources(g, v) ?? throw StatusException.NotFound("", context.Request.Path);
            case ["api", var v, .. var rest]: return await ResourceAsync(context, "", v, rest);
            case ["apis", var g, var v, .. var rest]: return await ResourceAsync(context, g, v, rest);
            default: throw new StatusException(404, "NotFound", "the server could not find the requested resource");
        }
    }

    private async Task<JsonObject?> ResourceAsync(HttpContext context, string group, string version, string[] rest)
    {
        string? ns = null;
        if (rest is ["namespaces", var n, _, ..])
        {
            ns = n;
            rest = rest[2..];
        }

        var (plural, name, sub) = rest switch
        {
            [var p] => (p, (string?)null, (string?)null),
            [var p, var id] => (p, id, null),
            [var p, var id, var s] => (p, id, s),
            _ => throw new StatusException(404, "NotFound", "the server could not find the requested resource"),
        };
        var type = ResourceType.Known.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural)
            ?? throw new StatusException(404, "NotFound", "the server could not find the requested resource");
        if (type.Namespaced && ns is null && name is not null) throw new StatusException(404, "NotFound", "the server could not find the requested resource");
        if (sub is not null && sub != "status" && !(sub == "scale" && ScaleSubresource.Serves(type)))
        {
            throw new StatusException(404, "NotFound", $"the server could not find the requested resource ({plural}/{sub})");
        }

        var query = context.Request.Query;
        var dryRun = query["dryRun"] == "All";
        var manager = query["fieldManager"].FirstOrDefault() ?? "unknown";
        var method = context.Request.Method;
        if (sub == "scale" && name is not null) return await ScaleAsync(context, type, ns, name, manager, dryRun);

        if (name is null)
        {
            if (method == "POST") return Store.Create(type, ns, Strictly(query, type, await BodyObjectAsync(context)), manager, dryRun);
            if (method != "GET") throw new StatusException(405, "MethodNotAllowed", $"{method} is not allowed on a collection");
            var filter = Selectors.Parse(query["labelSelector"], query["fieldSelector"]);
            if (query["watch"] is var w && (w == "true" || w == "1"))
            {
                await new WatchStream(Store, type, ns, filter).ServeAsync(context, query, stopping.Token);
                return null;
            }

            return ListOf(type, Store.List(type, ns, filter));
        }

        switch (method)
        {
            case "GET":
                return Store.Get(type, ns, name) ?? throw StatusException.NotFound(type.QualifiedName, name);
            case "DELETE":
                return Store.Delete(type, ns, name);
            case "PUT":
                var replacement = Strictly(query, type, await BodyObjectAsync(context));
                return Store.Update(type, ns, name, current =>
                {
                    // Optimistic concurrency: a PUT based on an older read is refused, as by the real server.
                    if (replacement.Str("metadata", "resourceVersion") is { } expected && expected != current.Str("metadata", "resourceVersion"))
                    {
                        throw new StatusException(409, "Conflict",
                            $"Operation cannot be fulfilled on {type.QualifiedName} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
                    }

                    return replacement;
                }, manager, dryRun, status: sub == "status");
            case "PATCH":
                return await PatchAsync(context, type, ns, name, manager, dryRun, sub == "status");
            default:
                throw new StatusException(405, "MethodNotAllowed", $"{method} is not allowed");
        }
    }

    /// <summary>fieldValidation=Strict (what kubectl sends) refuses a create or update naming a field the kind does not declare.</summary>
    private static JsonObject Strictly(IQueryCollection query, ResourceType type, JsonObject body)
    {
        if (query["fieldValidation"] == "Strict" && Schema.FirstUndeclaredField(body, type.Kind) is { } undeclared)
        {
            throw StatusException.BadRequest($"strict decoding error: unknown field \"{undeclared.TrimStart('.')}\"");
        }

        return body;
    }

    /// <summary>GET, PUT and merge PATCH of a Scale; what changes is the target's spec.replicas.</summary>
    private async Task<JsonObject> ScaleAsync(HttpContext context, ResourceType type, string? ns, string name, string manager, bool dryRun)
    {
        switch (context.Request.Method)
        {
            case "GET":
                return ScaleSubresource.Of(Store.Get(type, ns, name) ?? throw StatusException.NotFound(type.QualifiedName, name));
            case "PUT":
                var replacement = await BodyObjectAsync(context);
                return ScaleSubresource.Apply(Store, type, ns, name, _ => replacement, manager, dryRun);
            case "PATCH" when context.Request.ContentType?.Split(';')[0].Trim() is "application/merge-patch+json" or "application/strategic-merge-patch+json":
                var merge = await BodyObjectAsync(context);
                return ScaleSubresource.Apply(Store, type, ns, name, scale => Patches.ApplyMergePatch(scale, merge), manager, dryRun);
            default:
                throw new StatusException(405, "MethodNotAllowed", $"{context.Request.Method} {context.Request.ContentType} is not supported on {type.QualifiedName}/scale by the fake");
        }
    }

    private async Task<JsonObject> PatchAsync(HttpContext context, ResourceType type, string? ns, string name, string manager, bool dryRun, bool status)
    {
        var contentType = context.Request.ContentType?.Split(';')[0].Trim();
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        switch (contentType)
        {
            case "application/apply-patch+yaml":
                if (context.Request.Query["fieldManager"].Count == 0)
                {
                    throw new StatusException(422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
                }

                var applied = YamlJson.Parse(body) as JsonObject ?? throw StatusException.BadRequest("the apply patch is not an object");
                if (applied.Str("metadata", "name") is { } given && given != name)
                {
                    throw StatusException.BadRequest($"the name of the object ({given}) does not match the name on the URL ({name})");
                }

                // Server-side apply converts the configuration to its typed form first: an undeclared field fails that,
                // whatever fieldValidation says. v1.24 answers 500 without a reason (kubernetes/kubernetes#118877).
                if (Schema.FirstUndeclaredField(applied, type.Kind) is { } undeclared)
                {
                    throw new StatusException(500, "",
                        $"failed to create typed patch object ({ns}/{name}; {type.ApiVersion}, Kind={type.Kind}): {undeclared}: field not declared in schema");
                }

                return Store.Apply(type, ns, name, applied, manager, context.Request.Query["force"] == "true", dryRun);
            case "application/json-patch+json":
                var operations = JsonNode.Parse(body) as JsonArray ?? throw StatusException.BadRequest("a JSON patch must be an array");
                return Store.Update(type, ns, name, current => Patches.ApplyJsonPatch(current, operations), manager, dryRun, status);
            case "application/merge-patch+json":
            case "application/strategic-merge-patch+json":
                // Strategic merge differs from merge patch only for keyed lists, which the fake's users do not patch.
                var merge = JsonNode.Parse(body) as JsonObject ?? throw StatusException.BadRequest("a merge patch must be an object");
                return Store.Update(type, ns, name, current => Patches.ApplyMergePatch(current, merge), manager, dryRun, status);
            default:
                throw new StatusException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");
        }
    }

    private JsonObject ListOf(ResourceType type, List<JsonObject> items)
    {
        foreach (var item in items)
        {
            item.Remove("apiVersion");
            item.Remove("kind");
        }

        return new JsonObject
        {
            ["apiVersion"] = type.ApiVersion,
            ["kind"] = type.Kind + "List",
            ["metadata"] = new JsonObject { ["resourceVersion"] = Store.CurrentVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray(items.Select(i => (JsonNode)i).ToArray()),
        };
    }

    private static async Task<JsonObject> BodyObjectAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        return YamlJson.Parse(body) as JsonObject ?? throw StatusException.BadRequest("the request body is not an object");
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }
}
