using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.Docker;
using Pipeline.Prerequisites;
using Pipeline.Processes;
using Pipeline.ReverseProxy;
using Pipeline.Stages;
using Training.Data;

// Usage: dotnet run -c Release --project benchmarks/Serving.Benchmarks [-- --seconds 10 --connections 8]
//        dotnet run -c Release --project benchmarks/Serving.Benchmarks -- --protocols [--seconds 5 --connections 8 --rounds 3]
// Needs ./build.sh Containerize first (reads artifacts/container/image.json), wrk, h2load and haproxy (./build.sh Setup installs them).
// --protocols: gRPC beside REST JSON and binary, each with and without TLS (see ProtocolBenchmark).
var seconds = Option("--seconds", 10);
var connections = Option("--connections", 8);
var root = FindRoot();
var image = await ContainerImage.ReadAsync(Path.Combine(root, "artifacts", "container", ContainerImage.FileName), CancellationToken.None);
var data = await FashionMnist.LoadAsync(FashionMnist.ResolveDirectory(Environment.GetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable)));
var row = data.Test.Sample(0).ToArray();
var work = Directory.CreateTempSubdirectory("serving-bench-").FullName;

using var docker = new DockerClient(DockerEndpoint.FromEnvironment(Environment.GetEnvironmentVariable));
if (args.Contains("--protocols"))
{
    var code = await ProtocolBenchmark.RunAsync(docker, image, row, seconds, connections, Option("--rounds", 3), work);
    Directory.Delete(work, recursive: true);
    return code;
}

await using var container = await ServingContainer.StartAsync(docker, image.Reference, $"serving-bench-{Guid.NewGuid():N}"[..22], _ => { }, CancellationToken.None);
using var http = new HttpClient { BaseAddress = container.BaseAddress };
await container.WaitUntilReadyAsync(new OpenInferenceClient(http, "fashion-mnist"), TimeSpan.FromSeconds(60), CancellationToken.None);
var idle = await container.MemoryWorkingSetAsync(CancellationToken.None);

var scenarios = new (string Name, string Path, string Script)[]
{
    ("trivial GET /v2/health/live", "/v2/health/live", ""),
    ("batch-1 JSON infer", "/v2/models/fashion-mnist/infer", PostScript(work, "json", JsonBody(row), null)),
    ("batch-1 binary infer", "/v2/models/fashion-mnist/infer", BinaryScript(work, row)),
};

var results = new List<(string Name, int Connections, double Rps, double P50, double P99)>();
long peakMemory = 0;
foreach (var (name, path, script) in scenarios)
{
    await Wrk(container.BaseAddress, path, script, connections, 2); // warm-up
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakMemory = Math.Max(peakMemory, await container.MemoryWorkingSetAsync(CancellationToken.None));
            await Task.Delay(500);
        }
    });
    var (rps, p50, p99) = await Wrk(container.BaseAddress, path, script, connections, seconds);
    sampling.Cancel();
    await sampler;
    results.Add((name, connections, rps, p50, p99));
}

// The same JSON infer through the local edge (HaproxyEdge, keep-alive on both sides) against straight to the container.
var edgePort = FreePort();
var edge = new HaproxyEdge(new ProcessRunner(), new EdgeLayout(Path.Combine(work, "edge")), _ => { });
// As Deploy points it: at the container's address on its Docker network, not through docker-proxy's published port.
await edge.ApplyAsync(new EdgeDescription(edgePort, [new EdgeRoute("fashion-mnist", [EdgeServers.For(container, "blue", 256, "bench")])]),
    CancellationToken.None);
var edgeAddress = new Uri($"http://127.0.0.1:{edgePort}");
(double Rps, double P50, double P99) direct, through;
double medianRatio;
try
{
    await Wrk(edgeAddress, scenarios[1].Path, scenarios[1].Script, connections, 2); // warm-up
    // Alternating 2-second pairs, direct then through the edge: the machine's other load shifts within seconds, so each
    // pair compares like with like, and the median pair ratio is the edge's cost rather than a neighbour's burst.
    var pairs = new List<((double Rps, double P50, double P99) Direct, (double Rps, double P50, double P99) Through)>();
    for (var i = 0; i < Math.Max(2, seconds / 2); i++)
        pairs.Add((await Wrk(container.BaseAddress, scenarios[1].Path, scenarios[1].Script, connections, 2),
                   await Wrk(edgeAddress, scenarios[1].Path, scenarios[1].Script, connections, 2)));
    direct = (pairs.Average(p => p.Direct.Rps), Median(pairs.Select(p => p.Direct.P50)), pairs.Max(p => p.Direct.P99));
    through = (pairs.Average(p => p.Through.Rps), Median(pairs.Select(p => p.Through.P50)), pairs.Max(p => p.Through.P99));
    medianRatio = Median(pairs.Select(p => p.Through.Rps / p.Direct.Rps));
}
finally
{
    await edge.StopAsync(CancellationToken.None);
}

// A lighter closed-loop load (one connection) for the latency a single client sees.
var (lightRps, lightP50, lightP99) = await Wrk(container.BaseAddress, scenarios[1].Path, scenarios[1].Script, 1, seconds);
results.Add(("batch-1 JSON infer, 1 connection", 1, lightRps, lightP50, lightP99));

Console.WriteLine($"Serving container {image.Reference} ({Environment.ProcessorCount} cores, wrk -t1, {seconds} s per row)");
Console.WriteLine();
Console.WriteLine("| scenario | connections | requests/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var r in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {r.Connections} | {r.Rps:F0} | {r.P50:F2} | {r.P99:F2} |"));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"JSON infer / trivial endpoint: {results[1].Rps / results[0].Rps:P0} of the requests/s"));
Console.WriteLine();
Console.WriteLine($"Through the edge (haproxy, {HaproxyConfigRenderer.Threads} thread, keep-alive to clients and to the container), batch-1 JSON infer, {connections} connections:");
Console.WriteLine();
Console.WriteLine("| path | requests/s | p50 ms | p99 ms |");
Console.WriteLine("|---|---:|---:|---:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| direct to the container | {direct.Rps:F0} | {direct.P50:F2} | {direct.P99:F2} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| through the edge 127.0.0.1:{edgePort} | {through.Rps:F0} | {through.P50:F2} | {through.P99:F2} |"));
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"through the edge / direct: {through.Rps / direct.Rps:P0} of the mean requests/s, median of the pairs {medianRatio:P0} (goal: at least 80 %)"));
Console.WriteLine();
Console.WriteLine("| image size MB | memory idle MB | memory peak under load MB |");
Console.WriteLine("|---:|---:|---:|");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {image.SizeBytes / 1e6:F1} | {idle / 1e6:F1} | {peakMemory / 1e6:F1} |"));
Directory.Delete(work, recursive: true);
return 0;

static async Task<(double Rps, double P50, double P99)> Wrk(Uri baseAddress, string path, string script, int connections, int seconds)
{
    var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { "-t1", $"-c{connections}", $"-d{seconds}s", "--latency" }) start.ArgumentList.Add(argument);
    if (script.Length > 0) { start.ArgumentList.Add("-s"); start.ArgumentList.Add(script); }
    start.ArgumentList.Add(new Uri(baseAddress, path).ToString());
    Process process;
    try
    {
        process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start: apt-get install wrk");
    }
    catch (System.ComponentModel.Win32Exception e)
    {
        throw new InvalidOperationException($"wrk cannot be started ({e.Message}): install it with apt-get install wrk.", e);
    }
    using var _ = process;
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0 || output.Contains("Non-2xx"))
        throw new InvalidOperationException($"wrk against {path} failed or saw errors:\n{output}{await process.StandardError.ReadToEndAsync()}");
    return (Number(output, @"Requests/sec:\s+([\d.]+)"), Latency(output, "50%"), Latency(output, "99%"));
}

static double Latency(string output, string percentile)
{
    var match = Regex.Match(output, $@"{percentile}\s+([\d.]+)(us|ms|s)");
    var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
}

static double Number(string output, string pattern) =>
    double.Parse(Regex.Match(output, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

static string JsonBody(float[] row) =>
    "{\"inputs\":[{\"name\":\"input\",\"shape\":[1," + row.Length + "],\"datatype\":\"FP32\",\"data\":[" +
    string.Join(',', row.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "]}]}";

static string BinaryScript(string work, float[] row)
{
    var (body, headerLength) = BinaryInferBody.Create(row);
    return PostScript(work, "binary", body, headerLength);
}

static string PostScript(string work, string name, object body, int? headerLength)
{
    var bodyFile = Path.Combine(work, name + ".body");
    if (body is string text) File.WriteAllText(bodyFile, text); else File.WriteAllBytes(bodyFile, (byte[])body);
    var script = Path.Combine(work, name + ".lua");
    File.WriteAllText(script, $"""
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "{(headerLength is null ? "application/json" : "application/octet-stream")}"
        {(headerLength is { } length ? $"wrk.headers[\"Inference-Header-Content-Length\"] = \"{length}\"" : "")}
        local f = io.open("{bodyFile}", "rb"); wrk.body = f:read("*a"); f:close()
        """);
    return script;
}

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "build.sh")) && Directory.Exists(Path.Combine(dir.FullName, ".nuke")))
            return dir.FullName;
    throw new InvalidOperationException("Run from inside the repository.");
}
