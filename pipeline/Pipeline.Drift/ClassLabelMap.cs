using System.Collections.Frozen;
using System.Globalization;

namespace Pipeline.Drift;

/// <summary>
/// Maps a classifier's label output to its index in class_names, the same way for the server and the baseline:
/// text labels by name; numeric labels by value when every class name is a whole number (ML.NET numeric labels),
/// else by index (the MLP's argmax).
/// </summary>
public sealed class ClassLabelMap
{
    private readonly FrozenDictionary<string, int> _byText;
    private readonly FrozenDictionary<long, int> _byValue;

    public ClassLabelMap(IReadOnlyList<string> classNames)
    {
        ClassNames = classNames;
        _byText = classNames.Select((name, i) => KeyValuePair.Create(name, i)).ToFrozenDictionary(StringComparer.Ordinal);
        var values = classNames.Select(n => long.TryParse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : (long?)null).ToArray();
        _byValue = values.All(v => v.HasValue)
            ? values.Select((v, i) => KeyValuePair.Create(v!.Value, i)).ToFrozenDictionary()
            : classNames.Select((_, i) => KeyValuePair.Create((long)i, i)).ToFrozenDictionary();
    }

    public IReadOnlyList<string> ClassNames { get; }

    /// <returns>The class index, or -1 for a label outside class_names.</returns>
    public int IndexOf(string label) => _byText.GetValueOrDefault(label, -1);

    /// <inheritdoc cref="IndexOf(string)"/>
    public int IndexOf(long label) => _byValue.GetValueOrDefault(label, -1);
}
