using Serving.Server.Configuration;
using Serving.Server.Hosting;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Security;

/// <summary>
/// TLS and API key authentication as configured: read and checked at start-up (a bad file refuses to start), then
/// wired into the services and the request pipeline. Either part may be off.
/// </summary>
internal sealed class ServerSecurity : IDisposable
{
    private readonly byte[]? _keyFileSha256;

    private ServerSecurity(ServerCertificate? certificate, ApiKeyStore? keys, byte[]? keyFileSha256)
    {
        Certificate = certificate;
        Keys = keys;
        _keyFileSha256 = keyFileSha256;
    }

    public ServerCertificate? Certificate { get; }

    /// <summary>Null when authentication is off (no key file and no SERVING_API_KEYS).</summary>
    public ApiKeyStore? Keys { get; }

    /// <exception cref="ServerStartupException">The certificate, its key or the API key file is unusable.</exception>
    public static ServerSecurity Load(ServerOptions options)
    {
        var certificate = ServerCertificate.Load(options);
        try
        {
            var (keys, sha256) = LoadKeys(options);
            return new ServerSecurity(certificate, keys, sha256);
        }
        catch
        {
            certificate?.Dispose();
            throw;
        }
    }

    public void AddServices(IServiceCollection services, ServerOptions options, ServedModel model)
    {
        if (Keys is null) return;
        services.AddSingleton(Keys);
        services.AddSingleton(provider => new AuthenticationMetrics(provider.GetRequiredService<Prometheus.CollectorRegistry>(), model.Name, model.Version));
        if (options.ApiKeysFile is not { } path) return;
        services.AddKeyedSingleton(ApiKeyFileWatcher.TimeProviderKey, TimeProvider.System);
        services.AddSingleton(provider => new ApiKeyFileWatcher(Keys, path, _keyFileSha256!,
            provider.GetRequiredKeyedService<TimeProvider>(ApiKeyFileWatcher.TimeProviderKey), provider.GetRequiredService<ILogger<ApiKeyFileWatcher>>()));
        services.AddHostedService(provider => provider.GetRequiredService<ApiKeyFileWatcher>());
    }

    /// <summary>Adds the authentication middleware; call after error handling and before the routes' handlers.</summary>
    public void UseAuthentication(WebApplication app)
    {
        if (Keys is null) return;
        // Created now so that a scrape before the first refusal already shows the refusal counter at 0.
        _ = app.Services.GetRequiredService<AuthenticationMetrics>();
        app.UseMiddleware<ApiKeyAuthenticationMiddleware>();
    }

    public void LogStartup(ILogger logger, ServerOptions options)
    {
        if (Certificate is { } tls)
            logger.LogInformation("TLS on: certificate '{Subject}' (SHA-256 {Thumbprint}), valid until {NotAfter:yyyy-MM-dd}, {Intermediates} intermediates; plain HTTP is refused on TLS ports",
                tls.Certificate.Subject, tls.Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256),
                tls.Certificate.NotAfter.ToUniversalTime(), tls.Chain.Count);
        if (Certificate is { } expiring && expiring.Certificate.NotAfter.ToUniversalTime() < DateTime.UtcNow)
            logger.LogWarning("The TLS certificate expired on {NotAfter:yyyy-MM-dd}; clients will refuse it until it is renewed", expiring.Certificate.NotAfter.ToUniversalTime());

        if (Keys is null)
            logger.LogWarning("API key authentication is off: neither --api-keys-file / SERVING_API_KEYS_FILE nor SERVING_API_KEYS is set, so every endpoint is open");
        else
            logger.LogInformation("API key authentication on: {Count} keys ({KeyIds}) from {Sources}; health, model readiness and /metrics stay open",
                Keys.KeyIds.Count, string.Join(", ", Keys.KeyIds),
                string.Join(" and ", new[] { options.ApiKeys is null ? null : "SERVING_API_KEYS", options.ApiKeysFile is { } f ? $"'{f}' (reloaded when it changes)" : null }.OfType<string>()));
    }

    public void Dispose() => Certificate?.Dispose();

    private static (ApiKeyStore? Keys, byte[]? FileSha256) LoadKeys(ServerOptions options)
    {
        if (options.ApiKeys is null && options.ApiKeysFile is null) return (null, null);
        // SERVING_API_KEYS was checked by ServerOptions.Validate; its problems never get this far.
        var environmentKeys = options.ApiKeys is { } text ? ApiKeyFile.Parse(text.Value).Keys : [];
        if (options.ApiKeysFile is not { } path) return (new ApiKeyStore(environmentKeys, []), null);

        ApiKeyFileContent content;
        try
        {
            content = ApiKeyFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"Cannot read the API key file '{path}' ({e.Message}); check --api-keys-file / SERVING_API_KEYS_FILE and that the file is mounted and readable.", e);
        }

        if (!content.Result.IsValid)
            throw new ServerStartupException($"The API key file '{path}' is unusable: {string.Join(" ", content.Result.Errors)} Each line is <key-id>:<secret>.");
        try
        {
            return (new ApiKeyStore(environmentKeys, content.Result.Keys), content.Sha256);
        }
        catch (ArgumentException e)
        {
            throw new ServerStartupException($"The API keys are unusable: {e.Message}", e);
        }
    }
}
