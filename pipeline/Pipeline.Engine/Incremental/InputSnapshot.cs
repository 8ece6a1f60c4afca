using System.Text;

namespace Pipeline.Engine;

/// <summary>
/// The state of a target's inputs: file hashes and member values (secrets as hashes). The fingerprint is SHA-256 over
/// the target name, the sorted file paths with their hashes, and the sorted member names with their values.
/// </summary>
internal sealed record InputSnapshot(string Target, IReadOnlyDictionary<string, string> Files, IReadOnlyDictionary<string, string> Parameters)
{
    public string Fingerprint
    {
        get
        {
            var text = new StringBuilder("pipeline-engine-fingerprint-v1\n").Append("target\n").Append(Target).Append('\n');
            foreach (var (path, hash) in Files.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                text.Append("file\n").Append(path).Append('\n').Append(hash).Append('\n');
            }

            foreach (var (name, value) in Parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                text.Append("parameter\n").Append(name).Append('\n').Append(value).Append('\n');
            }

            return FileHasher.HashText(text.ToString());
        }
    }
}
