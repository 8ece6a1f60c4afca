using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>Reads and writes fingerprint records; writes go to a temporary file renamed into place, so a record is never half-written.</summary>
internal sealed class FingerprintStore(AbsolutePath rootDirectory)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public AbsolutePath Directory { get; } = rootDirectory / ".nuke" / "temp" / "fingerprints";

    public AbsolutePath PathFor(string target) => Directory / $"{target}.json";

    /// <summary>The record, or null when there is none or it is unreadable (which simply means the target runs).</summary>
    public async Task<FingerprintRecord?> LoadAsync(string target, CancellationToken cancellationToken)
    {
        var path = PathFor(target);
        if (!path.FileExists())
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            var record = await JsonSerializer.DeserializeAsync<FingerprintRecord>(stream, Options, cancellationToken);
            return record is { Version: FingerprintRecord.CurrentVersion } && record.Target == target ? record : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async Task SaveAsync(FingerprintRecord record, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory();
        var final = PathFor(record.Target);
        var temporary = Directory / $"{record.Target}.json.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var stream = File.Create(temporary))
            {
                await JsonSerializer.SerializeAsync(stream, record, Options, cancellationToken);
            }

            File.Move(temporary, final, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Forget a target's record before it runs, so a failed run can never look up to date.</summary>
    public void Delete(string target)
    {
        var path = PathFor(target);
        if (path.FileExists())
        {
            File.Delete(path);
        }
    }
}
