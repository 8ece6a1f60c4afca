using k8s.KubeConfigModels;

namespace Pipeline.Kubernetes.Configuration;

/// <summary>
/// The context's user made ready for KubernetesClient to build credentials from: what kubectl no longer supports is
/// refused, and what the library's model lacks or gets wrong (tokenFile, interactiveMode, KUBERNETES_EXEC_INFO, exec
/// arguments, a user without credentials) is filled in on the merged document.
/// </summary>
internal static class KubeconfigUser
{
    /// <summary>How the user authenticates (for messages), and the token file to follow when it is a tokenFile user.</summary>
    public static (string Description, string? TokenFile) Prepare(MergedKubeconfig kubeconfig, User user, Context context, ClusterEndpoint cluster, string where)
    {
        // As kubectl: an exec plugin or a token take precedence over a tokenFile.
        var tokenFile = user is { UserCredentials: null or { ExternalExecution: null, Token: null or "" } } ? kubeconfig.TokenFileOf(user.Name) : null;
        var description = Check(user, where, tokenFile);
        if (user.UserCredentials?.ExternalExecution is { } plugin)
        {
            if (kubeconfig.NeedsTerminal(user.Name))
            {
                throw new KubernetesConfigurationException($"The exec plugin of {where} needs an interactive terminal (interactiveMode: Always); the pipeline has none.");
            }

            ExecInfo.Provide(plugin, cluster);
            plugin.Arguments = ExecArguments.Quoted(plugin.Arguments);
        }

        if (user.UserCredentials is { ExternalExecution: null, Token: null or "", ClientCertificate: null or "", ClientCertificateData: null or "" })
        {
            // KubernetesClient refuses a user without credentials; kubectl sends no credentials (an anonymous request).
            context.ContextDetails.User = null;
        }

        return (description, tokenFile);
    }

    /// <summary>Refuses what kubectl no longer supports; returns how the user authenticates, for messages.</summary>
    private static string Check(User user, string where, string? tokenFile)
    {
        var credentials = user.UserCredentials ??= new UserCredentials();
        if (credentials.AuthProvider is not null)
        {
            throw new KubernetesConfigurationException($"{where} uses an auth-provider, which kubectl no longer supports either; use an exec credential plugin instead.");
        }

        if (!string.IsNullOrEmpty(credentials.UserName))
        {
            throw new KubernetesConfigurationException($"{where} uses basic authentication (username/password), which API servers no longer accept; use a token or a client certificate.");
        }

        if (credentials.ExternalExecution is { } exec) return $"exec plugin {exec.Command}";
        if (!string.IsNullOrEmpty(credentials.Token)) return $"token of {where}";
        if (tokenFile is not null)
        {
            // KubernetesClient's kubeconfig model has no tokenFile and refuses a user without credentials: give it the
            // token as it is now; the configuration then gets a TokenFileAuth that follows the file.
            try
            {
                credentials.Token = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KubernetesConfigurationException($"Cannot read the token file '{tokenFile}' of {where}: {e.Message}", e);
            }

            if (credentials.Token.Length == 0) throw new KubernetesConfigurationException($"The token file '{tokenFile}' of {where} is empty.");
            return $"token file {tokenFile}";
        }

        return string.IsNullOrEmpty(credentials.ClientCertificate) && string.IsNullOrEmpty(credentials.ClientCertificateData)
            ? $"no credentials ({where})"
            : $"client certificate of {where}";
    }
}
