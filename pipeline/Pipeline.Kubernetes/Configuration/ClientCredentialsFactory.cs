using System.Text;
using Pipeline.Processes;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>The credentials a kubeconfig user entry describes: exec plugin, token file, token, client certificate.</summary>
internal static class ClientCredentialsFactory
{
    public static IKubernetesCredentials Create(KubeconfigEntry? user, KubeconfigEntry cluster, Uri server, IProcessRunner processes,
        Func<string, string?> environment, TimeProvider time)
    {
        if (user is null) return new StaticCredentials(ClientCredentials.None, "no user");
        var where = $"the user '{user.Name}' in {user.File}";
        if (user.Body["auth-provider"] is not null)
        {
            throw new KubernetesConfigurationException(
                $"{where} uses an auth-provider, which kubectl no longer supports either; use an exec credential plugin instead.");
        }

        var certificate = ClientCertificate(user, where);
        if (user.Body["exec"] is System.Text.Json.Nodes.JsonObject exec)
        {
            return new ExecCredentials(ExecCredentialSpec.From(exec, user, cluster, server), processes, environment, time, certificate);
        }

        if (user.String("token") is { } token)
        {
            return new StaticCredentials(new ClientCredentials(token, certificate), $"token of {where}");
        }

        if (user.Path("tokenFile") is { } tokenFile)
        {
            return new TokenFileCredentials(tokenFile, certificate);
        }

        if (user.String("username") is not null)
        {
            throw new KubernetesConfigurationException($"{where} uses basic authentication (username/password), which API servers no longer accept; use a token or a client certificate.");
        }

        return new StaticCredentials(new ClientCredentials(null, certificate), certificate is null ? $"no credentials ({where})" : $"client certificate of {where}");
    }

    private static System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate(KubeconfigEntry user, string where)
    {
        var certificate = Material(user, "client-certificate", where);
        var key = Material(user, "client-key", where);
        return (certificate, key) switch
        {
            (null, null) => null,
            ({ } c, { } k) => ClientCertificates.FromPem(c, k, where),
            _ => throw new KubernetesConfigurationException($"{where} has a client certificate without a key, or a key without a certificate; both are needed."),
        };
    }

    private static string? Material(KubeconfigEntry user, string key, string where)
    {
        if (user.String(key + "-data") is { } data) return DecodeBase64(data, $"{key}-data of {where}");
        if (user.Path(key) is not { } path) return null;
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubernetesConfigurationException($"Cannot read {key} '{path}' of {where}: {e.Message}", e);
        }
    }

    public static string DecodeBase64(string data, string what)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data));
        }
        catch (FormatException e)
        {
            throw new KubernetesConfigurationException($"The {what} is not valid base64.", e);
        }
    }
}
