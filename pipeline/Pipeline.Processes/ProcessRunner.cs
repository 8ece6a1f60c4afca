using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Pipeline.Processes;

/// <summary>Runs real processes with <see cref="Process"/>, capturing standard output and error.</summary>
public sealed class ProcessRunner : IProcessRunner
{
    private const int NoSuchFileOrDirectory = 2;

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        cancellationToken.ThrowIfCancellationRequested();

        var startInfo = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A tool that asks a question must see end-of-input instead of hanging the build.
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (spec.WorkingDirectory is not null)
        {
            startInfo.WorkingDirectory = spec.WorkingDirectory;
        }

        if (spec.Environment is not null)
        {
            foreach (var (name, value) in spec.Environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        using var process = new Process { StartInfo = startInfo };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data, spec.OnOutputLine);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data, spec.OnOutputLine);

        try
        {
            process.Start();
        }
        catch (Win32Exception ex) when (ex.NativeErrorCode == NoSuchFileOrDirectory)
        {
            throw new CommandNotFoundException(spec.FileName, ex);
        }

        // Secrets go to stdin rather than the command line, where any user's `ps` could read them.
        if (spec.StandardInput is { } input)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            // Also waits until both redirected streams reach end-of-file.
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }

        lock (output)
        lock (error)
        {
            return new ProcessResult(process.ExitCode, output.ToString(), error.ToString());
        }
    }

    private static void Append(StringBuilder buffer, string? line, Action<string>? onLine)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }

        onLine?.Invoke(line);
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited between cancellation and kill.
        }
    }
}
