using System.Security.Cryptography.X509Certificates;
using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>Clients of a local edge that may speak TLS with its own self-signed certificate (--local-tls).</summary>
public static class EdgeTls
{
    /// <summary>The REST endpoint: https when the deployment asks for TLS.</summary>
    public static Uri Endpoint(LocalDeployOptions options) => new($"{(options.Tls ? "https" : "http")}://127.0.0.1:{options.ListenPort}");

    /// <summary>
    /// <paramref name="handler"/> trusting exactly the edge's certificate (<paramref name="layout"/>, null: no TLS):
    /// the machine's trust store does not hold a certificate generated here, and trusting every certificate would not check the edge at all.
    /// </summary>
    public static SocketsHttpHandler Trusting(SocketsHttpHandler handler, EdgeLayout? layout)
    {
        if (layout is null) return handler;
        using var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(layout.TlsCertificateFile));
        var hash = pinned.GetCertHashString();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString() == hash;
        return handler;
    }
}
