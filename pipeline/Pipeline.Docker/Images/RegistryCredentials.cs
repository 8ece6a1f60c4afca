namespace Pipeline.Docker;

/// <summary>
/// A user name and password (or token) for a registry. The password never appears in <see cref="ToString"/>,
/// in progress lines or in exception messages.
/// </summary>
public sealed class RegistryCredentials(string username, string password, string serverAddress)
{
    public string Username { get; } = Require(username, nameof(username));

    public string Password { get; } = Require(password, nameof(password));

    /// <summary>The registry host as in the image reference, e.g. "registry.example.com" or "127.0.0.1:5000".</summary>
    public string ServerAddress { get; } = Require(serverAddress, nameof(serverAddress));

    /// <summary>
    /// The credentials as Docker.DotNet sends them in the X-Registry-Auth header: padded base64url JSON, as Docker
    /// 20.10 needs (it decodes strictly and silently pushes anonymously when the padding is missing).
    /// </summary>
    internal AuthConfig ToAuthConfig() => new() { Username = Username, Password = Password, ServerAddress = ServerAddress };

    /// <summary>Replaces the password wherever the engine or a registry might have echoed it.</summary>
    internal string Redact(string text) => text.Replace(Password, "***", StringComparison.Ordinal);

    public override string ToString() => $"{Username}@{ServerAddress} (password hidden)";

    private static string Require(string value, string name) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException($"Registry credentials need a non-empty {name}", name) : value;
}
