using Pipeline.OnnxRuntime;
using Serving.Server.Configuration;

namespace Serving.Server.Hosting;

/// <summary>
/// The process: read settings, load ONNX Runtime, load the model, serve until SIGTERM. Anything that prevents
/// starting is printed to stderr as one clear message with exit code 2; a failure after start exits 1.
/// </summary>
public static class ServingProgram
{
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitRefusedToStart = 2;

    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment, TextWriter output, TextWriter error)
    {
        if (HealthProbe.IsRequested(args))
        {
            return await HealthProbe.RunAsync(args, error);
        }

        if (ServerOptionsReader.IsHelpRequested(args))
        {
            await output.WriteAsync(ServerOptionsReader.Usage());
            return ExitOk;
        }

        ServingServer server;
        OrtEnvironment ortEnvironment;
        try
        {
            var options = ServerOptionsReader.Read(args, environment);
            // ORT's process-wide environment; a native library that cannot load fails here, before serving.
            ortEnvironment = new OrtEnvironment();
            server = ServingServer.Create(options, ortEnvironment);
        }
        catch (Exception e) when (e is ServerConfigurationException or ServerStartupException or InvalidOperationException
                                      or DllNotFoundException or TypeInitializationException)
        {
            await error.WriteLineAsync("Serving.Server refused to start: " + e.Message);
            return ExitRefusedToStart;
        }

        await using (server)
        {
            try
            {
                return await server.RunAsync();
            }
            catch (IOException e)
            {
                // Typically the port is taken: Kestrel's message names the address.
                await error.WriteLineAsync("Serving.Server refused to start: " + e.Message);
                return ExitRefusedToStart;
            }
        }
    }
}
