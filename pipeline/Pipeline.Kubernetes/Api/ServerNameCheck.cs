using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Kubernetes.Api;

/// <summary>Makes KubernetesClient's server certificate check also refuse a certificate whose names do not match the server, as kubectl does.</summary>
/// <remarks>
/// With a cluster CA, the library's check (<c>Kubernetes.CertificateValidationCallBack</c>) accepts any certificate
/// the CA signed once the chain has errors, which a private CA always causes, so a name mismatch goes unseen. Its
/// SocketsHttpHandler is private; given to its constructor as the delegating handler, this one gets that handler as
/// its <see cref="DelegatingHandler.InnerHandler"/>, so <see cref="Install"/> can wrap the library's callback:
/// the library still decides the chain, and the name (the server's host, or tls-server-name, which the library sends
/// as the Host header and so the TLS target host) must match too. It also turns the handshake's refusal, which
/// SslStream reports only as "rejected by the callback", into a message naming the certificate's names and the fix.
/// </remarks>
internal sealed class ServerNameCheck : DelegatingHandler
{
    // What the latest handshake of this client refused for its name (null when it refused nothing or something
    // else); read when a request then fails to connect, as SslStream's exception does not say why.
    private volatile string? mismatch;

    /// <summary>Wraps the validation the library set up; call once its constructor has built the handler.</summary>
    public void Install(bool skipTlsVerify)
    {
        // insecure-skip-tls-verify accepts any certificate, names included, as kubectl does.
        if (skipTlsVerify) return;
        if (InnerHandler is not SocketsHttpHandler handler)
        {
            // A later KubernetesClient that builds its pipeline differently must not lose the check unnoticed.
            throw new InvalidOperationException($"KubernetesClient's innermost handler is {InnerHandler?.GetType().Name ?? "missing"}, not a SocketsHttpHandler; the server name check cannot be installed.");
        }

        var library = handler.SslOptions.RemoteCertificateValidationCallback;
        handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
        {
            // The chain alone first: the library's callback (or, without a cluster CA, the system's verdict).
            var chainErrors = errors & ~SslPolicyErrors.RemoteCertificateNameMismatch;
            var chainTrusted = library?.Invoke(sender, certificate, chain, chainErrors) ?? chainErrors == SslPolicyErrors.None;
            var nameMatches = !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
            mismatch = chainTrusted && !nameMatches ? Describe((sender as SslStream)?.TargetHostName ?? "", certificate) : null;
            return chainTrusted && nameMatches;
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException && mismatch is { } description)
        {
            throw new ServerCertificateNameException(description, e);
        }
    }

    private static string Describe(string host, X509Certificate? certificate)
    {
        var names = Names(certificate);
        return $"its certificate is for {(names.Count == 0 ? "no name" : string.Join(", ", names))}, which does not match {host}. "
            + $"Set tls-server-name in the kubeconfig cluster to a name the certificate holds, or reissue the server certificate with {host} among its subject alternative names";
    }

    private static List<string> Names(X509Certificate? certificate)
    {
        if (certificate is null) return [];
        using var loaded = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var names = loaded.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames().Concat(e.EnumerateIPAddresses().Select(ip => ip.ToString())))
            .ToList();
        // Like client-go, the subject's common name is not a host name; shown only when there are no alternative names.
        if (names.Count == 0 && loaded.GetNameInfo(X509NameType.SimpleName, false) is { Length: > 0 } commonName) names.Add($"CN={commonName}");
        return names;
    }
}

/// <summary>The API server's certificate, signed by a trusted CA, is not for the host the client connects to.</summary>
internal sealed class ServerCertificateNameException(string message, Exception inner)
    : HttpRequestException(HttpRequestError.SecureConnectionError, message, inner);
