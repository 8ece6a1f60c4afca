using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>
/// Where the API server is and how to trust and authenticate to it. <see cref="Source"/> says where this came
/// from (file and context, or in-cluster) for messages; it never contains a credential.
/// </summary>
public sealed record KubernetesConnection(
    Uri Server,
    string Namespace,
    IKubernetesCredentials Credentials,
    string Source)
{
    /// <summary>PEM certificates to trust for the server, instead of the system's store; null = system store.</summary>
    public string? CertificateAuthorityPem { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The name to verify the server certificate against when it differs from the server URL's host.</summary>
    public string? TlsServerName { get; init; }

    public override string ToString() => $"{Server} ({Source}, namespace {Namespace})";
}

/// <summary>What a request presents: a bearer token, a client certificate, both or neither.</summary>
public sealed record ClientCredentials(string? BearerToken, X509Certificate2? ClientCertificate)
{
    public static ClientCredentials None { get; } = new(null, null);

    /// <summary>Never prints the token.</summary>
    public override string ToString() =>
        $"ClientCredentials(token: {(BearerToken is null ? "none" : "set")}, certificate: {ClientCertificate?.Subject ?? "none"})";
}

/// <summary>Credentials, fetched when needed: token files are re-read and exec plugins re-run when their output expires.</summary>
public interface IKubernetesCredentials
{
    /// <summary>How the credentials are obtained (e.g. "token file /path"), for messages; never the secret itself.</summary>
    string Description { get; }

    Task<ClientCredentials> GetAsync(CancellationToken cancellationToken);
}

public sealed class StaticCredentials(ClientCredentials credentials, string description) : IKubernetesCredentials
{
    public string Description => description;

    public Task<ClientCredentials> GetAsync(CancellationToken cancellationToken) => Task.FromResult(credentials);
}

/// <summary>A token read from a file each time (service-account tokens are rotated on disk), plus an optional certificate.</summary>
public sealed class TokenFileCredentials(string path, X509Certificate2? certificate) : IKubernetesCredentials
{
    public string Description => $"token file {path}";

    public async Task<ClientCredentials> GetAsync(CancellationToken cancellationToken)
    {
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"Cannot read the token file '{path}': {e.Message}", e);
        }

        if (token.Length == 0) throw new KubernetesConfigurationException($"The token file '{path}' is empty.");
        return new ClientCredentials(token, certificate);
    }
}

public sealed class KubernetesConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
