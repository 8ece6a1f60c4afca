using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serving.Server.Security;
using Serving.Server.Tests.Support;
using static Serving.Server.Tests.ApiKeyAuthenticationTests;
using static Serving.Server.Tests.Support.ApiKeyFiles;

namespace Serving.Server.Tests;

/// <summary>The key file changes under a running server, as a rotated Kubernetes Secret or a rewritten bind mount does.</summary>
[Collection(ServingCollection.Name)]
public sealed class ApiKeyReloadTests(ServingFixture fixture)
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_rewritten_key_file_takes_effect_without_a_restart()
    {
        var path = fixture.TempFile($"keys-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, Line("old-key", FirstSecret));
        await using var server = await StartAsync(path);
        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", FirstSecret)));

        Replace(path, "# rotated\n" + Line("new-key", SecondSecret));
        await PollOnceAsync(server);

        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", SecondSecret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await InferAsync(server, ("X-API-Key", FirstSecret)));
        Assert.Equal(1, (await server.GetSeriesAsync()).Value("mlops_authenticated_requests_total", ("key_id", "new-key")));
    }

    [Fact]
    public async Task Nothing_is_reloaded_before_the_poll_interval_has_passed()
    {
        var path = fixture.TempFile($"keys-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, Line("old-key", FirstSecret));
        await using var server = await StartAsync(path);

        Replace(path, Line("new-key", SecondSecret));
        _time.Advance(ApiKeyFileWatcher.Interval - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, Watcher(server).CompletedChecks);
        Assert.Equal(HttpStatusCode.Unauthorized, await InferAsync(server, ("X-API-Key", SecondSecret)));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await server.WaitUntilAsync(() => Watcher(server).CompletedChecks == 1, "the first poll of the key file");
        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", SecondSecret)));
    }

    [Fact]
    public async Task An_invalid_rewrite_keeps_the_previous_keys_until_the_file_is_fixed()
    {
        var path = fixture.TempFile($"keys-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, Line("old-key", FirstSecret));
        await using var server = await StartAsync(path);

        Replace(path, Line("new-key", SecondSecret) + "broken line without a colon\n");
        await PollOnceAsync(server);

        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", FirstSecret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await InferAsync(server, ("X-API-Key", SecondSecret)));

        // A file that disappears (mid-swap, or unmounted) keeps them too.
        File.Delete(path);
        await PollOnceAsync(server);
        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", FirstSecret)));

        Replace(path, Line("new-key", SecondSecret));
        await PollOnceAsync(server);
        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", SecondSecret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await InferAsync(server, ("X-API-Key", FirstSecret)));
    }

    [Fact]
    public async Task A_Kubernetes_style_symlink_swap_is_seen()
    {
        // A Secret volume: <dir>/api-keys -> ..data/api-keys, ..data -> ..<timestamp>/; an update writes a new
        // timestamped directory and renames a new ..data link over the old one. The file's own inode never changes.
        var directory = fixture.TempFile($"secret-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(directory, "..v1"));
        await File.WriteAllTextAsync(Path.Combine(directory, "..v1", "api-keys"), Line("old-key", FirstSecret));
        Directory.CreateSymbolicLink(Path.Combine(directory, "..data"), "..v1");
        var path = Path.Combine(directory, "api-keys");
        File.CreateSymbolicLink(path, Path.Combine("..data", "api-keys"));
        await using var server = await StartAsync(path);
        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", FirstSecret)));

        Directory.CreateDirectory(Path.Combine(directory, "..v2"));
        await File.WriteAllTextAsync(Path.Combine(directory, "..v2", "api-keys"), Line("new-key", SecondSecret));
        Directory.CreateSymbolicLink(Path.Combine(directory, "..data_tmp"), "..v2");
        // rename(2) of the link itself, as Kubernetes' atomic writer does (File.Move refuses a link to a directory).
        await RenameAsync(Path.Combine(directory, "..data_tmp"), Path.Combine(directory, "..data"));
        await PollOnceAsync(server);

        Assert.Equal(HttpStatusCode.OK, await InferAsync(server, ("X-API-Key", SecondSecret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await InferAsync(server, ("X-API-Key", FirstSecret)));
    }

    private static async Task RenameAsync(string from, string to)
    {
        using var mv = System.Diagnostics.Process.Start("mv", ["-T", from, to]);
        await mv.WaitForExitAsync();
        Assert.Equal(0, mv.ExitCode);
    }

    private Task<TestServer> StartAsync(string path) =>
        TestServer.StartAsync(fixture, TestServer.DefaultOptions(fixture) with { ApiKeysFile = path },
            services => services.AddKeyedSingleton<TimeProvider>(ApiKeyFileWatcher.TimeProviderKey, _time));

    /// <summary>Lets one poll interval pass and waits until the watcher has looked at the file.</summary>
    private async Task PollOnceAsync(TestServer server)
    {
        var watcher = Watcher(server);
        var before = watcher.CompletedChecks;
        _time.Advance(ApiKeyFileWatcher.Interval);
        await server.WaitUntilAsync(() => watcher.CompletedChecks > before, "the next poll of the key file");
    }
}
