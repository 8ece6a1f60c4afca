using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.LoadTesting.Scheduling;
using Training.Data;

namespace Pipeline.Stages.Tests;

/// <summary>
/// Steady load through the edge (Pipeline.LoadTesting) with real test images on kept-alive connections, remembering
/// which model version answered each request and when, so a test can tell what served before, during and after a switch.
/// </summary>
public sealed class ProxyLoad : IDisposable
{
    private readonly HttpClient _http;
    private readonly byte[][] _bodies;
    private long _next;
    private int _connections;

    /// <summary>TCP connections opened to the edge: about one per user when keep-alive holds across switches.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private ProxyLoad(Uri endpoint, byte[][] bodies, Pipeline.IO.ServingApiKey? apiKey)
    {
        var handler = HttpScenario.CreateHandler(256);
        handler.ConnectCallback = async (context, cancellationToken) =>
        {
            Interlocked.Increment(ref _connections);
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
        };
        _http = new HttpClient(handler) { BaseAddress = endpoint, Timeout = RequestTimeout };
        // Every request is an infer, which an authenticated server refuses without the key.
        if (apiKey is not null) _http.DefaultRequestHeaders.Authorization = new("Bearer", apiKey.Secret);
        _bodies = bodies;
    }

    /// <summary>(Stopwatch timestamp when the answer arrived, model version) of every successful answer.</summary>
    public ConcurrentQueue<(long At, string Version)> Answers { get; } = new();

    /// <summary>What went wrong with the requests that failed, for the assertion message.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public static async Task<ProxyLoad> CreateAsync(Uri endpoint, string dataDirectory, Pipeline.IO.ServingApiKey? apiKey)
    {
        var data = await FashionMnist.LoadAsync(dataDirectory, CancellationToken.None);
        var bodies = Enumerable.Range(0, 64).Select(i => Body(data.Test.Sample(i).ToArray())).ToArray();
        return new ProxyLoad(endpoint, bodies, apiKey);
    }

    /// <summary>
    /// About <paramref name="perSecond"/> requests a second from ten users, each waiting for its answer and then a pause.
    /// Closed, not open: the server admits 64 requests in flight, and an open 100 a second piles past that whenever
    /// a loaded CI machine stalls the container for 0.65 s (seen once in 4,000 requests at a load average of 6: a 503
    /// "at capacity"), which is capacity, not the switch these tests are about. Ten users never exceed it.
    /// The drain outlasts the client's own 30 s timeout, so no request is cut by the load generator's stop: each one
    /// ends with its own answer or error (a 750 ms drain once cut a request stalled at the run's end by CI's load, and
    /// the failure said nothing about the switch).
    /// </summary>
    public Task<LoadTestResult> RunAsync(double perSecond, TimeSpan duration) =>
        new ClosedModelRunner(TimeProvider.System).RunAsync(SendAsync,
            new ClosedModelOptions(Users, duration) { ThinkTime = TimeSpan.FromSeconds(Users / perSecond), DrainTimeout = RequestTimeout + TimeSpan.FromSeconds(1) },
            CancellationToken.None);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(29);

    public const int Users = 10;

    private async Task<RequestOutcome> SendAsync(CancellationToken cancellationToken)
    {
        var body = _bodies[Interlocked.Increment(ref _next) % _bodies.Length];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        try
        {
            using var response = await _http.PostAsync("/v2/models/fashion-mnist/infer", content, cancellationToken);
            var answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(answer);
                Answers.Enqueue((Stopwatch.GetTimestamp(), json.RootElement.GetProperty("model_version").GetString()!));
            }
            else
            {
                Failures.Enqueue($"{(int)response.StatusCode}: {Encoding.UTF8.GetString(answer)}");
            }
            return RequestOutcome.Status((int)response.StatusCode, body.Length, answer.Length);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Failures.Enqueue($"{e.GetType().Name}: {e.InnerException?.Message ?? e.Message}");
            return RequestOutcome.Failed(e.GetType().Name, body.Length);
        }
    }

    public IReadOnlyList<string> VersionsAnsweredAfter(long timestamp) => Answers.Where(a => a.At > timestamp).Select(a => a.Version).Distinct().ToList();

    private static byte[] Body(float[] row)
    {
        var text = new StringBuilder("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,")
            .Append(row.Length).Append("],\"data\":[").AppendJoin(',', row.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))).Append("]}]}");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public void Dispose() => _http.Dispose();
}
