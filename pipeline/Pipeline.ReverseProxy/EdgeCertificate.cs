using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Pipeline.IO;

namespace Pipeline.ReverseProxy;

/// <summary>
/// The local edge's self-signed TLS certificate for 127.0.0.1 and localhost: generated once under the edge's state
/// directory and reused while it stays valid, so clients that trust it (<c>curl --cacert</c>) keep trusting it.
/// </summary>
public static class EdgeCertificate
{
    /// <summary>How long a new certificate is valid.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    /// <summary>A certificate expiring sooner than this is replaced rather than served until it lapses mid-run.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    /// <summary>
    /// The PEM (certificate and key) haproxy binds with: the existing one when it is valid for at least
    /// <see cref="RenewBefore"/> more, else a new pair. The key file is owner-only (0600) from its first byte on disk.
    /// </summary>
    public static async Task<string> EnsureAsync(EdgeLayout layout, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (await ReadValidAsync(layout, now, cancellationToken)) return layout.TlsPemFile;

        Directory.CreateDirectory(Path.GetDirectoryName(layout.TlsPemFile)!);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        // Self-signed and trusted directly by clients: it is its own issuer, so it must be allowed to sign (CA, no path below it).
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Lifetime));

        var certificatePem = certificate.ExportCertificatePem() + "\n";
        await AtomicFile.WriteAllTextAsync(layout.TlsPemFile, certificatePem + key.ExportPkcs8PrivateKeyPem() + "\n", cancellationToken,
            UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // The certificate alone, public, for clients: the combined file holds the key.
        await AtomicFile.WriteAllTextAsync(layout.TlsCertificateFile, certificatePem, cancellationToken);
        return layout.TlsPemFile;
    }

    /// <summary>Whether both files exist, hold the same certificate with its key, and it stays valid long enough.</summary>
    private static async Task<bool> ReadValidAsync(EdgeLayout layout, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!File.Exists(layout.TlsPemFile) || !File.Exists(layout.TlsCertificateFile)) return false;
        try
        {
            var pem = await File.ReadAllTextAsync(layout.TlsPemFile, cancellationToken);
            using var pair = X509Certificate2.CreateFromPem(pem, pem);
            using var published = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(layout.TlsCertificateFile, cancellationToken));
            return pair.HasPrivateKey && pair.Thumbprint == published.Thumbprint &&
                   pair.NotBefore.ToUniversalTime() <= now.UtcDateTime && pair.NotAfter.ToUniversalTime() > now.Add(RenewBefore).UtcDateTime;
        }
        catch (CryptographicException)
        {
            return false; // unreadable: replaced by a new pair
        }
    }
}
