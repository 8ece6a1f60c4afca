using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>Client certificate and key from PEM text, as kubeconfig and exec plugins give them.</summary>
internal static class ClientCertificates
{
    public static X509Certificate2 FromPem(string certificatePem, string keyPem, string where)
    {
        try
        {
            using var pemOnly = X509Certificate2.CreateFromPem(certificatePem, keyPem);
            // On Linux a certificate with an ephemeral key works for TLS client authentication; exporting to PKCS#12
            // and re-importing gives it a key handle SslStream can always use.
            return X509CertificateLoader.LoadPkcs12(pemOnly.Export(X509ContentType.Pkcs12), null);
        }
        catch (CryptographicException e)
        {
            // The message names the source only: PEM parsers may echo input, and a key is a secret.
            throw new KubernetesConfigurationException($"The client certificate or key from {where} is not a valid PEM certificate/key pair.", e);
        }
    }
}
