using System.ComponentModel;
using System.Diagnostics;

namespace Pipeline.ModelRegistry.Tests;

/// <summary>A separate process (util-linux <c>flock</c>) that holds an exclusive lock on a file until released, the
/// way another registry writer would: .NET takes <c>FileShare.None</c> locks on Linux with the same flock call.</summary>
public sealed class ExternalLockHolder : IAsyncDisposable
{
    private readonly Process _process;

    private ExternalLockHolder(Process process) => _process = process;

    public static async Task<ExternalLockHolder> AcquireAsync(string lockPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
        var start = new ProcessStartInfo("flock", ["--exclusive", lockPath, "sh", "-c", "echo held; read release"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("These tests need the flock command to hold a lock from another process: apt-get install util-linux.", e);
        }
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (line != "held") throw new InvalidOperationException($"flock did not report holding '{lockPath}' (printed '{line}').");
        return new ExternalLockHolder(process);
    }

    /// <summary>Whether another process could take the lock right now, asked with <c>flock --nonblock</c>.</summary>
    public static async Task<bool> IsFreeForAnotherProcessAsync(string lockPath)
    {
        using var probe = Process.Start(new ProcessStartInfo("flock", ["--nonblock", lockPath, "true"]) { UseShellExecute = false })!;
        await probe.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return probe.ExitCode == 0;
    }

    public async Task ReleaseAsync()
    {
        if (_process.HasExited) return;
        await _process.StandardInput.WriteLineAsync();
        await _process.StandardInput.FlushAsync();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync();
        }
        finally
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }
    }
}
