using System.Text;

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
    /// The X-Registry-Auth header value: base64url JSON {username, password, serveraddress}. With padding:
    /// Docker 20.10 decodes it strictly and silently pushes anonymously when the padding is missing.
    /// </summary>
    internal string ToHeaderValue() => Encode(new Dictionary<string, string>
    {
        ["username"] = Username,
        ["password"] = Password,
        ["serveraddress"] = ServerAddress,
    });

    /// <summary>The header for an anonymous push: an empty auth configuration.</summary>
    internal static string AnonymousHeaderValue() => Encode(new Dictionary<string, string>());

    /// <summary>Replaces the password wherever the engine or a registry might have echoed it.</summary>
    internal string Redact(string text) =>
        text.Replace(Password, "***", StringComparison.Ordinal).Replace(ToHeaderValue(), "***", StringComparison.Ordinal);

    public override string ToString() => $"{Username}@{ServerAddress} (password hidden)";

    private static string Encode(Dictionary<string, string> auth) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(auth))).Replace('+', '-').Replace('/', '_');

    private static string Require(string value, string name) =>
        string.IsNullOrEmpty(value) ? throw new ArgumentException($"Registry credentials need a non-empty {name}", name) : value;
}
