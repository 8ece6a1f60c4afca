using Pipeline.IO;

namespace Pipeline.Prerequisites;

/// <summary>
/// The local image registry's login. The password comes from a secret parameter or the environment when given;
/// otherwise one is generated on first use and kept in a file only its owner can read, so every run agrees.
/// </summary>
public sealed record RegistryLogin(string Username, string Password)
{
    public const string PasswordFileName = "password";

    public override string ToString() => $"{Username}:*****";

    public static RegistryLogin LoadOrCreate(string directory, string username, string? password)
    {
        if (!string.IsNullOrEmpty(password))
            return new RegistryLogin(username, password);

        var file = Path.Combine(directory, PasswordFileName);
        if (File.Exists(file))
            return new RegistryLogin(username, File.ReadAllText(file).Trim());

        var generated = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        AtomicFile.WriteAllBytes(file, System.Text.Encoding.UTF8.GetBytes(generated), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new RegistryLogin(username, generated);
    }
}
