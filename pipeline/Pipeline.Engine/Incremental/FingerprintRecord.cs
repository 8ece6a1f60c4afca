namespace Pipeline.Engine;

/// <summary>What <c>.nuke/temp/fingerprints/&lt;Target&gt;.json</c> holds after a successful run of an incremental target.</summary>
internal sealed record FingerprintRecord(
    int Version,
    string Target,
    string Fingerprint,
    Dictionary<string, string> Inputs,
    Dictionary<string, string> Parameters,
    Dictionary<string, string> Outputs,
    DateTimeOffset RecordedAt)
{
    public const int CurrentVersion = 1;
}
