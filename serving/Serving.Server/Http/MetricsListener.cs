using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Serving.Server.Http;

/// <summary>
/// The separate metrics port, when configured: a plain-HTTP/1.1 Kestrel endpoint that serves /metrics and nothing
/// else, while the main port no longer serves /metrics. Connections are told apart by the local port they arrived
/// on, which the client cannot choose (a Host header it could).
/// </summary>
internal sealed class MetricsListener
{
    private ListenOptions? _listen;

    /// <summary>The port actually bound (the chosen one when 0 was asked for); null before Kestrel has bound it.</summary>
    public int? BoundPort => _listen?.EndPoint is IPEndPoint { Port: > 0 } endPoint ? endPoint.Port : null;

    public void Configure(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1;
        _listen = listen;
    }

    public bool IsMetricsConnection(HttpContext context) => BoundPort is { } port && context.Connection.LocalPort == port;
}

/// <summary>Marks the /metrics route, so <see cref="MetricsPortMiddleware"/> knows it whatever spelling matched it.</summary>
internal sealed class MetricsRouteMetadata
{
    public static readonly MetricsRouteMetadata Instance = new();
}

/// <summary>With a metrics port: /metrics only on it, and only /metrics on it; anything else gets the usual 404.</summary>
internal sealed class MetricsPortMiddleware(RequestDelegate next, MetricsListener listener)
{
    public Task InvokeAsync(HttpContext context)
    {
        var isMetricsRoute = context.GetEndpoint()?.Metadata.GetMetadata<MetricsRouteMetadata>() is not null;
        return isMetricsRoute == listener.IsMetricsConnection(context)
            ? next(context)
            : ErrorResponses.WriteAsync(context.Response, StatusCodes.Status404NotFound, ErrorResponses.NoRouteMessage(context.Request));
    }
}
