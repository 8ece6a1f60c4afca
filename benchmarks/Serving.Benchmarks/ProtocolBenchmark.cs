using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Pipeline.Docker;
using Pipeline.OnnxRuntime;
using Pipeline.Stages;

/// <summary>
/// gRPC ModelInfer beside REST JSON and REST binary, each in cleartext and over TLS, against two containers of the same
/// image (one started with a self-signed certificate). One load generator for every row, h2load (nghttp2-client): HTTP/1.1
/// keep-alive for REST (--h1), HTTP/2 for gRPC, the same connections and one request in flight on each. Clients go to
/// the containers' bridge addresses, past docker-proxy. h2load counts HTTP statuses only and gRPC fails inside an HTTP 200,
/// so every run is checked against the server's own counters: every request answered 200 / OK, none refused.
/// </summary>
internal static class ProtocolBenchmark
{
    private const string Model = "fashion-mnist";

    public static async Task<int> RunAsync(DockerClient docker, ContainerImage image, float[] row, int seconds, int connections, int rounds, string work)
    {
        var tls = WriteSelfSignedPair(Path.Combine(work, "tls"));
        var bodies = WriteBodies(work, row);
        await using var plain = await StartAsync(docker, image.Reference, "plain", tls: null);
        await using var secure = await StartAsync(docker, image.Reference, "tls", tls);

        var scenarios = new List<(string Protocol, bool Tls, Func<long?, Task<H2loadRun>> Run)>();
        foreach (var (container, isTls) in new[] { (plain, false), (secure, true) })
        {
            var scheme = isTls ? "https" : "http";
            var rest = $"{scheme}://{container.Address}:{ServingContainer.ContainerPort}/v2/models/{Model}/infer";
            var grpc = $"{scheme}://{container.Address}:{ServingContainer.GrpcContainerPort}/inference.GRPCInferenceService/ModelInfer";
            scenarios.Add(("REST JSON", isTls, n => H2loadAsync(n, rest, bodies.Json, ["content-type: application/json"], http1: true, connections)));
            scenarios.Add(("REST binary", isTls, n => H2loadAsync(n, rest, bodies.Binary,
                ["content-type: application/octet-stream", $"inference-header-content-length: {bodies.BinaryHeaderLength}"], http1: true, connections)));
            scenarios.Add(("gRPC (typed contents)", isTls, n => H2loadAsync(n, grpc, bodies.Grpc, ["content-type: application/grpc", "te: trailers"], http1: false, connections)));
            scenarios.Add(("gRPC (raw contents)", isTls, n => H2loadAsync(n, grpc, bodies.GrpcRaw, ["content-type: application/grpc", "te: trailers"], http1: false, connections)));
        }

        // Rounds in rotated order: the machine's other load drifts within minutes, and each row's median round is then
        // measured at several moments, not all at one.
        var runs = scenarios.Select(_ => new List<H2loadRun>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < scenarios.Count; k++)
            {
                var i = (k + round) % scenarios.Count;
                var container = scenarios[i].Tls ? secure : plain;
                // A 2 s run warms the path up and measures its rate; the measured run then sends a fixed count of about
                // `seconds` worth, so it ends when its last answer arrives instead of resetting calls in flight at a deadline.
                var probe = await scenarios[i].Run(null);
                // The warm-up's reset calls are counted when the server notices them: let that settle before the baseline.
                await Task.Delay(TimeSpan.FromSeconds(1));
                var before = await container.CountersAsync();
                var result = await scenarios[i].Run(Math.Max(1000, (long)(probe.RequestsPerSecond * seconds)));
                var after = await container.CountersAsync();
                CheckAllAnswered(scenarios[i].Protocol, result, before, after);
                runs[i].Add(result);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round + 1}: {scenarios[i].Protocol}{(scenarios[i].Tls ? " + TLS" : "")}: {result.RequestsPerSecond:F0} req/s, mean {result.MeanMs:F2} ms"));
            }
        }

        Console.WriteLine($"Protocols: {image.Reference}, {Environment.ProcessorCount} cores, h2load -t1 -c{connections} -m1, about {seconds} s per run " +
                          $"(a fixed count, after a 2 s warm-up), median of {rounds} rounds; every answer checked against the server's counters");
        Console.WriteLine();
        Console.WriteLine("| protocol | TLS | requests/s | mean ms | sd ms | max ms | request bytes | vs REST JSON (same TLS) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < scenarios.Count; i++)
        {
            var median = runs[i].OrderBy(r => r.RequestsPerSecond).ElementAt(runs[i].Count / 2);
            var json = runs[scenarios.FindIndex(s => s.Protocol == "REST JSON" && s.Tls == scenarios[i].Tls)].Select(r => r.RequestsPerSecond).Order().ElementAt(runs[i].Count / 2);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {scenarios[i].Protocol} | {(scenarios[i].Tls ? "yes" : "no")} | {median.RequestsPerSecond:F0} | {median.MeanMs:F2} | {median.SdMs:F2} | {median.MaxMs:F2} | {median.RequestBytes} | {median.RequestsPerSecond / json:P0} |"));
        }

        return 0;
    }

    private sealed record Bodies(string Json, string Binary, int BinaryHeaderLength, string Grpc, string GrpcRaw);

    private static Bodies WriteBodies(string work, float[] row)
    {
        var json = Path.Combine(work, "infer.json");
        File.WriteAllBytes(json, OpenInferenceJson.InferRequest(row, row.Length, id: "bench"));

        var (binaryBody, headerLength) = BinaryInferBody.Create(row);
        var binary = Path.Combine(work, "infer.bin");
        File.WriteAllBytes(binary, binaryBody);

        var input = new[] { NamedTensor.Create("input", row, 1, row.Length) };
        return new Bodies(json, binary, headerLength,
            WriteGrpcMessage(Path.Combine(work, "infer.grpc"), OpenInferenceGrpc.InferRequest(Model, input, id: "bench")),
            WriteGrpcMessage(Path.Combine(work, "infer-raw.grpc"), OpenInferenceGrpc.InferRequest(Model, input, id: "bench", raw: true)));
    }

    /// <summary>One gRPC length-prefixed message: a compression flag byte (0), the length big-endian, the protobuf bytes.</summary>
    private static string WriteGrpcMessage(string path, IMessage message)
    {
        var bytes = message.ToByteArray();
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        File.WriteAllBytes(path, [0, .. length, .. bytes]);
        return path;
    }

    private sealed record TlsPair(string Directory, string CertificatePath, string KeyPath);

    /// <summary>A throwaway self-signed pair for 127.0.0.1 and the bridge addresses; h2load does not verify it.</summary>
    private static TlsPair WriteSelfSignedPair(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=serving-benchmark", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pair = new TlsPair(directory, Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"));
        File.WriteAllText(pair.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(pair.KeyPath, key.ExportPkcs8PrivateKeyPem());
        // The container's user (10001) must read the throwaway key through the read-only mount.
        File.SetUnixFileMode(pair.KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return pair;
    }

    private sealed class BenchContainer(DockerClient docker, string id, string address, bool tls) : IAsyncDisposable
    {
        private readonly HttpClient _http = new(new SocketsHttpHandler
        {
            // The benchmark's own throwaway certificate: its counters are read over the same TLS port the load uses.
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true },
        }) { BaseAddress = new Uri($"{(tls ? "https" : "http")}://{address}:{ServingContainer.ContainerPort}"), Timeout = TimeSpan.FromSeconds(10) };

        public string Address => address;

        public async Task WaitUntilReadyAsync()
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    using var response = await _http.GetAsync("/v2/health/ready");
                    if (response.IsSuccessStatusCode) return;
                }
                catch (HttpRequestException) when (deadline.Elapsed < TimeSpan.FromSeconds(60)) { }
                if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"{address} was not ready within 60 s.");
                await Task.Delay(250);
            }
        }

        /// <summary>mlops_inference_requests_total by code and mlops_grpc_requests_total by gRPC code, keyed "code=…" / "grpc=…".</summary>
        public async Task<Dictionary<string, double>> CountersAsync()
        {
            var text = await _http.GetStringAsync("/metrics");
            var counters = new Dictionary<string, double>();
            foreach (Match m in Regex.Matches(text, @"^mlops_inference_requests_total\{[^}]*code=""(\d+)""\} (\S+)$", RegexOptions.Multiline))
                counters["code=" + m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            foreach (Match m in Regex.Matches(text, @"^mlops_grpc_requests_total\{[^}]*grpc_code=""(\w+)""\} (\S+)$", RegexOptions.Multiline))
                counters["grpc=" + m.Groups[1].Value] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            return counters;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await docker.RemoveContainerAsync(id, force: true, CancellationToken.None);
        }
    }

    private static async Task<BenchContainer> StartAsync(DockerClient docker, string image, string name, TlsPair? tls)
    {
        var spec = ServingContainer.Hardened(image, $"serving-bench-{name}-{Guid.NewGuid():N}"[..28], 0,
            new Dictionary<string, string> { ["io.mlops.role"] = "benchmark" });
        if (tls is not null)
        {
            spec = spec with
            {
                ReadOnlyBindMounts = new Dictionary<string, string> { [tls.Directory] = "/run/tls" },
                Environment = new Dictionary<string, string>
                {
                    ["SERVING_TLS_CERTIFICATE"] = "/run/tls/" + Path.GetFileName(tls.CertificatePath),
                    ["SERVING_TLS_KEY"] = "/run/tls/" + Path.GetFileName(tls.KeyPath),
                },
            };
        }

        var created = await docker.CreateContainerAsync(spec, CancellationToken.None);
        await docker.StartContainerAsync(created.Id, CancellationToken.None);
        var details = await docker.InspectContainerAsync(created.Id, CancellationToken.None);
        var container = new BenchContainer(docker, created.Id, details.IpAddress
            ?? throw new InvalidOperationException($"{spec.Name} has no address on a Docker network."), tls is not null);
        try
        {
            await container.WaitUntilReadyAsync();
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private sealed record H2loadRun(double RequestsPerSecond, long Succeeded, long Failed, double MeanMs, double SdMs, double MaxMs, long RequestBytes);

    /// <param name="requests">Null: a 2 s warm-up run by duration (its end resets calls in flight); else exactly this many requests.</param>
    private static async Task<H2loadRun> H2loadAsync(long? requests, string url, string body, string[] headers, bool http1, int connections)
    {
        var start = new ProcessStartInfo("h2load") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-t1", $"-c{connections}", "-m1", requests is { } n ? $"-n{n}" : "-D2", "-d", body]) start.ArgumentList.Add(argument);
        if (http1) start.ArgumentList.Add("--h1");
        foreach (var header in headers) { start.ArgumentList.Add("-H"); start.ArgumentList.Add(header); }
        start.ArgumentList.Add(url);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("h2load did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"h2load cannot be started ({e.Message}): install it with apt-get install nghttp2-client (./build.sh Setup does).", e);
        }

        using var _ = process;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var counts = Regex.Match(output, @"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored");
        var time = Regex.Match(output, @"time for request:\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)");
        if (process.ExitCode != 0 || !counts.Success || !time.Success)
            throw new InvalidOperationException($"h2load against {url} failed:\n{output}{await process.StandardError.ReadToEndAsync()}");
        var failed = long.Parse(counts.Groups[5].Value, CultureInfo.InvariantCulture) + long.Parse(counts.Groups[6].Value, CultureInfo.InvariantCulture);
        return new H2loadRun(
            double.Parse(Regex.Match(output, @"finished in [\d.]+s, ([\d.]+) req/s").Groups[1].Value, CultureInfo.InvariantCulture),
            long.Parse(counts.Groups[4].Value, CultureInfo.InvariantCulture), failed,
            Milliseconds(time.Groups[3].Value), Milliseconds(time.Groups[4].Value), Milliseconds(time.Groups[2].Value), new FileInfo(body).Length);
    }

    private static double Milliseconds(string value)
    {
        var match = Regex.Match(value, @"^([\d.]+)(us|ms|s)$");
        var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => number / 1000, "s" => number * 1000, _ => number };
    }

    /// <summary>Every request h2load sent was answered 200 (REST) or OK (gRPC) by the server, and nothing else was counted.</summary>
    private static void CheckAllAnswered(string protocol, H2loadRun run, Dictionary<string, double> before, Dictionary<string, double> after)
    {
        double Delta(string key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);
        var refused = after.Keys.Where(k => k is not "code=200" and not "grpc=OK" && Delta(k) > 0).Select(k => $"{k} +{Delta(k)}").ToList();
        var ok = Delta(protocol.StartsWith("gRPC", StringComparison.Ordinal) ? "grpc=OK" : "code=200");
        if (run.Failed > 0 || refused.Count > 0 || ok != run.Succeeded)
            throw new InvalidOperationException($"{protocol}: h2load {run.Succeeded} succeeded, {run.Failed} failed; the server answered {ok} OK" +
                                                (refused.Count > 0 ? $" and refused: {string.Join(", ", refused)}" : ""));
    }
}
