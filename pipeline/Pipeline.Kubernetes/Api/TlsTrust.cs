using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Pipeline.Kubernetes.Configuration;

namespace Pipeline.Kubernetes.Api;

/// <summary>TLS settings from a connection: trust only the cluster's CA when one is given (as kubectl does).</summary>
internal static class TlsTrust
{
    public static SslClientAuthenticationOptions ClientOptions(KubernetesConnection connection, X509Certificate2? clientCertificate)
    {
        var options = new SslClientAuthenticationOptions();
        if (connection.TlsServerName is not null) options.TargetHost = connection.TlsServerName;
        if (clientCertificate is not null) options.ClientCertificates = [clientCertificate];
        if (connection.InsecureSkipTlsVerify)
        {
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (connection.CertificateAuthorityPem is { } pem)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPem(pem);
            if (authorities.Count == 0)
            {
                throw new KubernetesConfigurationException($"The certificate authority of {connection.Source} contains no PEM certificate.");
            }

            options.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => ValidateWithAuthorities(certificate, chain, errors, authorities);
        }

        return options;
    }

    private static bool ValidateWithAuthorities(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Intermediates the server sent may link its certificate to the cluster CA.
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
