using Microsoft.Extensions.DependencyInjection;
using Serving.Server.Security;

namespace Serving.Server.Tests.Support;

/// <summary>Key file contents and the way deployments replace them: a complete temp file renamed over the old one.</summary>
public static class ApiKeyFiles
{
    public const string FirstSecret = "first-secret-0123456789abcdef";
    public const string SecondSecret = "second-secret-0123456789abcdef";
    public const string WrongSecret = "wrong-secret-0123456789abcdef";

    public static string Line(string id, string secret) => $"{id}:{secret}\n";

    public static void Replace(string path, string content)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    internal static ApiKeyFileWatcher Watcher(TestServer server) => server.Server.Services.GetRequiredService<ApiKeyFileWatcher>();
}
