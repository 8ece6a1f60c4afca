using System.ComponentModel;
using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// Runs the official ONNX checker (Debian's python3-onnx, with full shape inference) on a model file.
/// Shared by the test projects that write ONNX models: they link this file rather than copy it.
/// </summary>
public static class OnnxChecker
{
    public const string PythonPath = "/usr/bin/python3";

    private const string MissingOnnxHelp =
        "The ONNX checker needs the python3-onnx package for " + PythonPath + ": apt-get install python3-onnx (or ./build.sh Setup).";

    private const int ExitPassed = 0;
    private const int ExitRejected = 1;
    private const int ExitMissingOnnx = 3;

    private static readonly string Script = string.Join('\n',
        "import sys",
        "try:",
        "    import onnx, onnx.checker",
        "except ImportError as e:",
        "    print(e, file=sys.stderr); sys.exit(3)",
        "try:",
        "    onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True)",
        "except Exception as e:",
        "    print(type(e).__name__ + ': ' + str(e), file=sys.stderr); sys.exit(1)");

    /// <summary>Throws with the checker's message unless the model passes.</summary>
    public static async Task AssertValidAsync(string modelPath, CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(modelPath, cancellationToken);
        if (!result.Passed)
            throw new InvalidOperationException($"The ONNX checker rejected '{modelPath}': {result.Message}");
    }

    /// <summary>Whether the model passes, with the checker's message if not.</summary>
    public static async Task<OnnxCheckResult> RunAsync(string modelPath, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        var startInfo = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            ArgumentList = { "-c", Script, Path.GetFullPath(modelPath) },
        };
        using var process = StartOrExplain(startInfo);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var message = ((await stderr).Trim() + Environment.NewLine + (await stdout).Trim()).Trim();
        return process.ExitCode switch
        {
            ExitPassed => new OnnxCheckResult(true, message),
            ExitRejected => new OnnxCheckResult(false, message),
            ExitMissingOnnx => throw new InvalidOperationException($"{MissingOnnxHelp} Python said: {message}"),
            var code => throw new InvalidOperationException($"{PythonPath} exited with code {code} while checking '{modelPath}': {message}"),
        };
    }

    private static Process StartOrExplain(ProcessStartInfo startInfo)
    {
        try
        {
            return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {PythonPath}. {MissingOnnxHelp}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {PythonPath} ({e.Message}). {MissingOnnxHelp}", e);
        }
    }
}

public sealed record OnnxCheckResult(bool Passed, string Message);
