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
            var library = OnnxRuntimeLibrary.Load(options.OnnxRuntimeLibrary, environment);
            // One ORT environment for the life of the process, as ONNX Runtime requires.
            ortEnvironment = new OrtEnvironment(library, OrtLoggingLevel.Warning, "serving");
            try
            {
                server = ServingServer.Create(options, ortEnvironment);
            }
            catch
            {
                ortEnvironment.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is ServerConfigurationException or ServerStartupException or OnnxRuntimeLibraryException or InvalidOperationException)
        {
            await error.WriteLineAsync("Serving.Server refused to start: " + e.Message);
            return ExitRefusedToStart;
        }

        await using (server)
        using (ortEnvironment)
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
