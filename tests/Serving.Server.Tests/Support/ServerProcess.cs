using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Serving.Server.Tests.Support;

/// <summary>
/// The server as users run it: <c>dotnet Serving.Server.dll</c> from the test's output, a child process whose
/// stdout and stderr lines are collected.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    private ServerProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _stdout.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Stdout => string.Join("\n", _stdout);

    public string Stderr => string.Join("\n", _stderr);

    public static ServerProcess Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Serving.Server.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build tests/Serving.Server.Tests, which copies the server next to the tests.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return new ServerProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the "Listening on" log line and returns the server's base address.</summary>
    public async Task<Uri> WaitForAddressAsync()
    {
        Uri? address = null;
        await Poll.UntilAsync(() =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Stdout}\n{Stderr}");
            var match = _stdout.Select(line => ListeningLine().Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null) address = new Uri(match.Groups[1].Value);
            return Task.FromResult(address is not null);
        }, "the server's 'Listening on' log line");
        return address!;
    }

    public Task WaitForOutputAsync(string text) =>
        Poll.UntilAsync(() => Task.FromResult(_stdout.Any(line => line.Contains(text, StringComparison.Ordinal))), $"'{text}' in the server's output");

    /// <summary>Sends SIGTERM with kill(1), as a container runtime or Kubernetes does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(int timeoutSeconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [GeneratedRegex(@"Listening on (http://[^\s,;]+)")]
    private static partial Regex ListeningLine();
}
