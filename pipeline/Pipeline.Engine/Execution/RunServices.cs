namespace Pipeline.Engine;

/// <summary>Per-run facts every target shares: where the root is, the environment, CI integration and secrets.</summary>
internal sealed record RunServices(
    AbsolutePath RootDirectory,
    IReadOnlyDictionary<string, string> Environment,
    GitHubActions? GitHubActions,
    SecretMasker Masker);
