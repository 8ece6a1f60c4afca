namespace Pipeline.Docker;

/// <summary>
/// The Docker.DotNet clients for one endpoint: an unversioned one for /_ping and /version (the same on every
/// engine), and one speaking the API version chosen on first use (or pinned in the options). Every call goes
/// through <see cref="RunAsync{T}"/>, which turns the library's and the transport's failures into
/// <see cref="DockerException"/> naming the operation.
/// </summary>
internal sealed class EngineConnection(DockerEndpoint endpoint, DockerClientOptions options) : IDisposable
{
    private readonly EngineClient unversioned = Create(endpoint, options, apiVersion: null);
    private readonly SemaphoreSlim negotiation = new(1, 1);
    private EngineClient? versioned = options.ApiVersion is { } pinned ? Create(endpoint, options, Version.Parse(pinned)) : null;

    public DockerEndpoint Endpoint => endpoint;

    /// <summary>The API version in use, once chosen.</summary>
    public string? ApiVersion => versioned?.Options.ApiVersion?.ToString();

    /// <summary>Runs <paramref name="call"/> on the versioned client, negotiating the version first if needed.</summary>
    public async Task<T> RunAsync<T>(string operation, Func<EngineClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var client = await VersionedAsync(cancellationToken).ConfigureAwait(false);
        return await CallAsync(client, operation, probing: false, call, cancellationToken).ConfigureAwait(false);
    }

    public Task RunAsync(string operation, Func<EngineClient, CancellationToken, Task> call, CancellationToken cancellationToken) =>
        RunAsync(operation, async (client, token) =>
        {
            await call(client, token).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Runs <paramref name="call"/> unversioned; no answer in time means no engine rather than a slow one.</summary>
    public Task<T> ProbeAsync<T>(string operation, Func<EngineClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        CallAsync(unversioned, operation, probing: true, call, cancellationToken);

    public void Dispose()
    {
        unversioned.Dispose();
        versioned?.Dispose();
        negotiation.Dispose();
    }

    private async Task<T> CallAsync<T>(
        EngineClient client, string operation, bool probing, Func<EngineClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        if (endpoint.UnixSocketPath is { } socket && !File.Exists(socket))
        {
            throw new DockerEngineUnavailableException(endpoint, $"{socket} does not exist");
        }

        try
        {
            return await call(client, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (EngineErrors.Translate(ex, operation, endpoint, options.RequestTimeout, probing, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    private async Task<EngineClient> VersionedAsync(CancellationToken cancellationToken)
    {
        if (versioned is { } known)
        {
            return known;
        }

        await negotiation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (versioned is null)
            {
                var version = await ProbeAsync("read the engine version", (client, token) => client.System.GetVersionAsync(token), cancellationToken)
                    .ConfigureAwait(false);
                var chosen = ApiVersionNegotiation.Choose(version.APIVersion, version.MinAPIVersion);
                versioned = Create(endpoint, options, Version.Parse(chosen));
            }

            return versioned;
        }
        finally
        {
            negotiation.Release();
        }
    }

    // The timeout applies to calls answered at once; the library gives streams (build, push, logs, wait, stop) none.
    private static EngineClient Create(DockerEndpoint endpoint, DockerClientOptions options, Version? apiVersion) =>
        new DockerClientBuilder()
            .WithEndpoint(endpoint.Address)
            .WithApiVersion(apiVersion)
            .WithTimeout(options.RequestTimeout)
            .Build();
}
