using System.Diagnostics.CodeAnalysis;

namespace Pipeline.Engine;

/// <summary>An absolute, normalized file-system path. Immutable; append relative segments with <c>/</c>.</summary>
public sealed class AbsolutePath : IEquatable<AbsolutePath>
{
    private static readonly StringComparison Comparison =
        OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private readonly string _value;

    private AbsolutePath(string value) => _value = value;

    /// <summary>Wraps an absolute path; a relative one is an error (use <see cref="Resolve"/>).</summary>
    public static AbsolutePath Create(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException("A path must not be empty.", nameof(path));
        }

        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"'{path}' is not an absolute path; use AbsolutePath.Resolve(path, baseDirectory) for relative ones.", nameof(path));
        }

        return new AbsolutePath(Normalize(path));
    }

    /// <summary>An absolute <paramref name="path"/> as is; a relative one against <paramref name="baseDirectory"/>.</summary>
    public static AbsolutePath Resolve(string path, AbsolutePath baseDirectory) =>
        Path.IsPathFullyQualified(path) ? Create(path) : baseDirectory / path;

    public static AbsolutePath operator /(AbsolutePath left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (Path.IsPathRooted(right))
        {
            throw new ArgumentException($"Cannot append the rooted path '{right}' to '{left}'.", nameof(right));
        }

        return new AbsolutePath(Normalize(Path.Combine(left._value, right)));
    }

    [return: NotNullIfNotNull(nameof(path))]
    public static implicit operator string?(AbsolutePath? path) => path?._value;

    public static bool operator ==(AbsolutePath? left, AbsolutePath? right) => Equals(left, right);

    public static bool operator !=(AbsolutePath? left, AbsolutePath? right) => !Equals(left, right);

    /// <summary>The last segment (file or directory name).</summary>
    public string Name => Path.GetFileName(_value);

    /// <summary>The containing directory; null at the file-system root.</summary>
    public AbsolutePath? Parent => Path.GetDirectoryName(_value) is { Length: > 0 } parent ? new AbsolutePath(parent) : null;

    public bool FileExists() => File.Exists(_value);

    public bool DirectoryExists() => Directory.Exists(_value);

    public bool Exists() => FileExists() || DirectoryExists();

    public AbsolutePath CreateDirectory()
    {
        Directory.CreateDirectory(_value);
        return this;
    }

    /// <summary>This path relative to <paramref name="baseDirectory"/>, with forward slashes.</summary>
    public string RelativeTo(AbsolutePath baseDirectory) => Path.GetRelativePath(baseDirectory._value, _value).Replace('\\', '/');

    /// <summary>True when this path is <paramref name="directory"/> or lies below it.</summary>
    public bool IsUnder(AbsolutePath directory) =>
        _value.Equals(directory._value, Comparison) ||
        _value.StartsWith(directory._value.EndsWith(Path.DirectorySeparatorChar) ? directory._value : directory._value + Path.DirectorySeparatorChar, Comparison);

    public bool Equals(AbsolutePath? other) => other is not null && _value.Equals(other._value, Comparison);

    public override bool Equals(object? obj) => obj is AbsolutePath other && Equals(other);

    public override int GetHashCode() => string.GetHashCode(_value, Comparison);

    public override string ToString() => _value;

    private static string Normalize(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
}
