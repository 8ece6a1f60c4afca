using Pipeline.ReverseProxy;
using Pipeline.Rollouts.Canary;

namespace Pipeline.Stages;

/// <summary>
/// A canary's share of a model's traffic as weights of its two slots on the edge: exact per request (HAProxy's weighted
/// round robin), changed through the runtime API with no reload and no client connection closed.
/// </summary>
public sealed class EdgeCanaryTraffic(HaproxyEdge edge, string model, EdgeServer stable, EdgeServer canary) : ICanaryTraffic
{
    public string Describe(int percent) => $"edge weights {Weights(percent).Stable}/{Weights(percent).Canary} of {BlueGreenSwitch.FullWeight}";

    public async Task SetCanaryPercentAsync(int percent, CancellationToken cancellationToken)
    {
        var (stableWeight, canaryWeight) = Weights(percent);
        await ApplyRouteAsync(edge, model, [stable with { Weight = stableWeight }, canary with { Weight = canaryWeight }], cancellationToken);
    }

    /// <summary>
    /// Gives <paramref name="model"/>'s route exactly <paramref name="servers"/> on the edge as it runs now, read each time:
    /// another model's deploy may have changed its own route on the same edge meanwhile. The route keeps its gRPC
    /// endpoint, whose backend gets the same servers and weights in the same runtime change.
    /// </summary>
    public static async Task ApplyRouteAsync(HaproxyEdge edge, string model, IReadOnlyList<EdgeServer> servers, CancellationToken cancellationToken)
    {
        var current = await edge.ReadActiveDescriptionAsync(cancellationToken)
            ?? throw new InvalidOperationException($"The edge's description is gone while {model}'s traffic is split; run ./build.sh Deploy again.");
        var route = current.Route(model) is { } existing ? existing with { Servers = servers } : new EdgeRoute(model, servers);
        await edge.ApplyAsync(current.WithRoute(route), cancellationToken);
    }

    /// <summary>Weights for a share in percent; the canary gets at least 1 whenever its share is above zero.</summary>
    public static (int Stable, int Canary) Weights(int percent)
    {
        var canary = percent <= 0 ? 0 : Math.Max(1, (int)Math.Round(BlueGreenSwitch.FullWeight * Math.Min(percent, 100) / 100.0));
        return (BlueGreenSwitch.FullWeight - canary, canary);
    }
}
