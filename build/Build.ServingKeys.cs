using Pipeline.Engine;
using Pipeline.IO;
using Pipeline.Stages;

/// <summary>The serving API key of --environment (issue #16): what the pipeline's containers accept and its own clients send.</summary>
sealed partial class Build
{
    [Parameter("API key the serving containers of --environment accept and the pipeline's requests present (default: generated once, " +
               "kept in ~/.local/share/mlops-pipeline/serving-keys/<environment>.key)"), Secret]
    readonly string? ServingApiKey;

    ServingApiKeyStore ServingApiKeys => new(Path.Combine(StateDirectory, "serving-keys"));

    /// <summary>The key of --environment (the secret parameter, else the kept or a newly generated one).</summary>
    Task<Pipeline.IO.ServingApiKey> ServingApiKeyAsync(CancellationToken ct) => ServingApiKeys.LoadOrCreateAsync(TargetEnvironment, ServingApiKey, ct);

    /// <summary>The key and the key file local containers mount, written beside the kept keys (never under artifacts/).</summary>
    async Task<ServingKeyMount> ServingKeyMountAsync(CancellationToken ct) =>
        await ServingKeyMount.WriteAsync(ServingApiKeys.Directory, TargetEnvironment, await ServingApiKeyAsync(ct), ct);
}
