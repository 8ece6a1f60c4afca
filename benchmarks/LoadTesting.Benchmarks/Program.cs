using System.Diagnostics;
using System.Globalization;
using Pipeline.LoadTesting.Results;
using Pipeline.LoadTesting.Scenarios;
using Pipeline.LoadTesting.Scheduling;

// Usage: dotnet run -c Release --project benchmarks/LoadTesting.Benchmarks [-- --seconds 5 --connections 64]
// Prints the generator's ceiling against haproxy returning "ok" on loopback: open model at rising arrival rates, the
// closed model flat out, and wrk (if installed) against the same endpoint for reference. CPU µs per request is this
// process's CPU time over the requests it completed (the endpoint runs in its own process).
var seconds = Option("--seconds", 5);
var connections = Option("--connections", 64);
using var endpoint = await TrivialEndpoint.StartAsync();
using var handler = HttpScenario.CreateHandler(connections);
using var client = new HttpClient(handler);
var scenario = HttpScenario.Create(client, () => new HttpRequestMessage(HttpMethod.Get, endpoint.Address));
var duration = TimeSpan.FromSeconds(seconds);
var warmup = TimeSpan.FromSeconds(1);

var rows = new List<string>();
foreach (var rate in new[] { 1_000, 2_500, 5_000, 10_000, 20_000, 40_000 })
{
    var (result, cpu) = await Measure(() => new OpenModelRunner(TimeProvider.System).RunAsync(
        scenario, new OpenModelOptions(ArrivalRate.Constant(rate, warmup + duration)) { Warmup = warmup, MaxConcurrency = connections * 4 }, CancellationToken.None));
    rows.Add(Row($"open, {rate:N0}/s offered", result, cpu));
}
foreach (var users in new[] { 1, connections })
{
    var (result, cpu) = await Measure(() => new ClosedModelRunner(TimeProvider.System).RunAsync(
        scenario, new ClosedModelOptions(users, duration) { Warmup = warmup }, CancellationToken.None));
    rows.Add(Row($"closed, {users} users", result, cpu));
}

Console.WriteLine($"Load generator ceiling: one process, {Environment.ProcessorCount} cores shared with haproxy (1 thread), {seconds} s per row, ≤ {connections} connections");
Console.WriteLine();
Console.WriteLine("| scenario | requests/s | dropped | errors | p50 ms | p99 ms | CPU µs/request |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
rows.ForEach(Console.WriteLine);
if (await Wrk(endpoint.Address, connections, seconds) is { } wrk) Console.WriteLine($"| wrk -t1 -c{connections} (reference) | {wrk:N0} | | | | | |");

static async Task<(LoadTestResult Result, TimeSpan Cpu)> Measure(Func<Task<LoadTestResult>> run)
{
    var before = Process.GetCurrentProcess().TotalProcessorTime;
    var result = await run();
    return (result, Process.GetCurrentProcess().TotalProcessorTime - before);
}

static string Row(string name, LoadTestResult r, TimeSpan cpu) =>
    string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {r.RequestsPerSecond:N0} | {r.Dropped:N0} | {r.Errors:N0}{(r.ErrorKinds.Count > 0 ? " (" + string.Join(", ", r.ErrorKinds.Select(e => $"{e.Key} {e.Value}")) + ")" : "")} | {r.Latency.P50.TotalMilliseconds:0.###} | {r.Latency.P99.TotalMilliseconds:0.###} | " +
        $"{(r.Requests + r.Dropped > 0 ? cpu.TotalMicroseconds / (r.Requests + r.Dropped) : 0):0.0} |");

static async Task<double?> Wrk(Uri address, int connections, int seconds)
{
    if (!File.Exists("/usr/bin/wrk")) return null;
    var wrk = Process.Start(new ProcessStartInfo("/usr/bin/wrk", ["-t1", $"-c{connections}", $"-d{seconds}s", address.ToString()]) { RedirectStandardOutput = true })!;
    var output = await wrk.StandardOutput.ReadToEndAsync();
    await wrk.WaitForExitAsync();
    var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("Requests/sec:", StringComparison.Ordinal));
    return line is null ? null : double.Parse(line["Requests/sec:".Length..].Trim(), CultureInfo.InvariantCulture);
}

static int Option(string name, int fallback)
{
    var args = Environment.GetCommandLineArgs();
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
