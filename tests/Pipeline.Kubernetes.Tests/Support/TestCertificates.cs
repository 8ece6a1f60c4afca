using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Kubernetes.Tests.Support;

/// <summary>A throwaway CA with a server certificate (for 127.0.0.1 unless told a name) and a client certificate, as PEM text like a kubeconfig holds.</summary>
internal sealed class TestCertificates : IDisposable
{
    /// <param name="intermediate">Sign the server certificate with an intermediate CA (which the server must then send).</param>
    /// <param name="serverDnsName">Issue the server certificate for this DNS name alone (not 127.0.0.1).</param>
    public TestCertificates(bool intermediate = false, string? serverDnsName = null)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=test-cluster-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Authority = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        if (intermediate)
        {
            using var intermediateKey = RSA.Create(2048);
            var request = new CertificateRequest("CN=test-intermediate-ca", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(20), RandomNumberGenerator.GetBytes(8));
            Intermediate = issued.CopyWithPrivateKey(intermediateKey);
        }

        (Server, ServerKeyPem) = Issue("CN=kube-apiserver", server: true, Intermediate ?? Authority, serverDnsName);
        (Client, ClientKeyPem) = Issue("CN=pipeline-user,O=deployers", server: false, Authority, null);
    }

    public X509Certificate2 Authority { get; }

    public X509Certificate2? Intermediate { get; }

    public X509Certificate2 Server { get; }

    public string ServerKeyPem { get; }

    public X509Certificate2 Client { get; }

    public string ClientKeyPem { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public string ClientPem => Client.ExportCertificatePem();

    /// <summary>The server certificate with its key, loadable by Kestrel.</summary>
    public X509Certificate2 ServerWithKey() =>
        X509CertificateLoader.LoadPkcs12(X509Certificate2.CreateFromPem(Server.ExportCertificatePem(), ServerKeyPem).Export(X509ContentType.Pkcs12), null);

    private static (X509Certificate2, string) Issue(string subject, bool server, X509Certificate2 issuer, string? onlyDnsName)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            if (onlyDnsName is null)
            {
                names.AddIpAddress(IPAddress.Loopback);
                names.AddDnsName("kubernetes.default.svc");
            }
            else
            {
                names.AddDnsName(onlyDnsName);
            }

            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(8);
        var certificate = request.Create(issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), serial);
        return (certificate, key.ExportPkcs8PrivateKeyPem());
    }

    public void Dispose()
    {
        Authority.Dispose();
        Intermediate?.Dispose();
        Server.Dispose();
        Client.Dispose();
    }
}

