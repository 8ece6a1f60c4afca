using System.Reflection;

namespace Serving.Server.Hosting;

/// <summary>What server metadata reports, on REST (GET /v2) and gRPC (ServerMetadata) alike.</summary>
internal static class ServerIdentity
{
    public const string Name = "mlops-pipeline-serving";

    /// <summary>The protocol extensions the server implements.</summary>
    public static IReadOnlyList<string> Extensions { get; } = ["binary_tensor_data"];

    /// <summary>The assembly's informational version; fixed for the process, so computed once.</summary>
    public static string Version { get; } =
        typeof(ServerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
}
