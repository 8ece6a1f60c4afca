using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.OnnxRuntime;
using Serving.Protocol.Inference;

namespace Pipeline.Stages;

/// <summary>
/// One version's load-test requests in the profile's protocol (REST JSON or gRPC), prepared with the gated model's answers
/// before any container starts, then bound to a running container as a scenario.
/// </summary>
internal sealed class ProtocolWorkload
{
    private readonly InferenceWorkload? _rest;
    private readonly GrpcInferenceWorkload? _grpc;

    private ProtocolWorkload(InferenceWorkload? rest, GrpcInferenceWorkload? grpc)
    {
        _rest = rest;
        _grpc = grpc;
    }

    public int DistinctRequests => _rest?.DistinctRequests ?? _grpc!.DistinctRequests;

    /// <summary>Responses compared with the model's own answers so far.</summary>
    public long Checked => _rest?.Checked ?? _grpc!.Checked;

    public static async Task<ProtocolWorkload> CreateAsync(OrtEnvironment ort, string modelPath, LoadTestRequest request, CancellationToken cancellationToken)
    {
        var (profile, key) = (request.Profile, request.ApiKeys?.Key);
        return profile.Protocol switch
        {
            LoadProtocol.Rest => new ProtocolWorkload(await InferenceWorkload.CreateAsync(ort, modelPath, request.Release.ModelName, request.Data,
                profile.DistinctImages, profile.CheckEvery, cancellationToken, key), null),
            LoadProtocol.Grpc => new ProtocolWorkload(null, await GrpcInferenceWorkload.CreateAsync(ort, modelPath, request.Release.ModelName, request.Data,
                profile.DistinctImages, profile.CheckEvery, raw: false,
                key is null ? null : new Metadata { { "authorization", "Bearer " + key.Secret } }, cancellationToken)),
            var other => throw new ArgumentOutOfRangeException(nameof(request), other, "--load-protocol is rest or grpc."),
        };
    }

    /// <summary>The scenario against <paramref name="container"/>, and the client it sends on (dispose it after the run).</summary>
    public (LoadScenario Scenario, IDisposable Client) Bind(ServingContainer container, int maxConnections)
    {
        if (_rest is not null)
        {
            var http = new HttpClient(HttpScenario.CreateHandler(maxConnections)) { BaseAddress = container.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            return (HttpScenario.Create(http, _rest.Next), http);
        }

        // HTTP/2 multiplexes calls on a connection; more connections (up to the profile's bound) open only when one is
        // full, as Grpc.Net.Client does for a busy client.
        var channel = GrpcChannel.ForAddress(container.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, MaxConnectionsPerServer = maxConnections },
        });
        return (_grpc!.Scenario(new GRPCInferenceService.GRPCInferenceServiceClient(channel)), channel);
    }
}
