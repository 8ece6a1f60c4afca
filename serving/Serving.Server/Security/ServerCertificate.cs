using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Serving.Server.Configuration;
using Serving.Server.Hosting;

namespace Serving.Server.Security;

/// <summary>
/// The TLS certificate (with any intermediates from the same PEM file) and its private key, loaded and checked at
/// start-up so that a wrong file stops the server before it listens rather than failing every handshake.
/// </summary>
internal sealed class ServerCertificate : IDisposable
{
    private ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        Certificate = certificate;
        Chain = chain;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediates sent after the leaf, so clients that trust only the root can build the chain.</summary>
    public X509Certificate2Collection Chain { get; }

    /// <returns>Null when TLS is not configured.</returns>
    /// <exception cref="ServerStartupException">A file is unreadable, not PEM, or the key does not belong to the certificate.</exception>
    public static ServerCertificate? Load(ServerOptions options)
    {
        if (options.TlsCertificatePath is not { } certificatePath || options.TlsKeyPath is not { } keyPath) return null;
        var certificatePem = ReadPem(certificatePath, "certificate", "--tls-certificate / SERVING_TLS_CERTIFICATE");
        var keyPem = ReadPem(keyPath, "private key", "--tls-key / SERVING_TLS_KEY");

        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
        }
        catch (CryptographicException e)
        {
            throw new ServerStartupException($"The TLS certificate file '{certificatePath}' holds no usable PEM certificate ({e.Message}); give a file with -----BEGIN CERTIFICATE----- blocks, the server's certificate first.");
        }

        if (chain.Count == 0)
            throw new ServerStartupException($"The TLS certificate file '{certificatePath}' holds no PEM certificate; give a file with -----BEGIN CERTIFICATE----- blocks, the server's certificate first.");
        if (!keyPem.Contains("PRIVATE KEY-----", StringComparison.Ordinal) || keyPem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
            throw new ServerStartupException($"The TLS key file '{keyPath}' holds no unencrypted PEM private key; give the certificate's key as -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY), not encrypted.");

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new ServerStartupException($"The TLS private key in '{keyPath}' does not belong to the certificate in '{certificatePath}' ({e.Message}); " +
                                             "give the key the certificate was issued for (the certificate's public key must match it).");
        }

        // The first certificate is the leaf, now with its key; the rest are intermediates.
        chain[0].Dispose();
        chain.RemoveAt(0);
        return new ServerCertificate(certificate, chain);
    }

    /// <summary>Makes the endpoint HTTPS; its protocols are offered through ALPN.</summary>
    public void Apply(ListenOptions listen) => listen.UseHttps(new HttpsConnectionAdapterOptions
    {
        ServerCertificate = Certificate,
        ServerCertificateChain = Chain,
    });

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var intermediate in Chain) intermediate.Dispose();
    }

    private static string ReadPem(string path, string what, string setting)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServerStartupException($"Cannot read the TLS {what} file '{path}' ({e.Message}); check {setting} and that the file is mounted and readable.", e);
        }
    }
}
