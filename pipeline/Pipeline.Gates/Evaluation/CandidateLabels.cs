using System.Globalization;
using System.Text.Json;
using Pipeline.OnnxRuntime;

namespace Pipeline.Gates;

/// <summary>
/// Which label value each probability column of a candidate stands for: column j is class index j for a model whose
/// <c>label</c> output is int64 (the MLP family), and the j-th of its <c>class_names</c> metadata for a model whose
/// labels are text (an ML.NET export carries the original label values). Maps answers and truths to column indices.
/// </summary>
internal sealed class CandidateLabels
{
    public const string ClassNamesKey = "class_names";

    private readonly Dictionary<string, int> _columnOf;
    private readonly string[]? _names;
    private readonly string _candidate;

    private CandidateLabels(string candidate, string[]? names, int classCount)
    {
        _candidate = candidate;
        _names = names;
        _columnOf = names is null
            ? Enumerable.Range(0, classCount).ToDictionary(i => i.ToString(CultureInfo.InvariantCulture), i => i, StringComparer.Ordinal)
            : names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
    }

    public bool IsText => _names is not null;

    public static CandidateLabels For(ModelCandidate candidate, InferenceSession session, TensorElementType labelType, int classCount)
    {
        if (labelType != TensorElementType.String)
            return new CandidateLabels(candidate.Name, null, classCount);
        if (!session.ModelMetadata.CustomMetadata.TryGetValue(ClassNamesKey, out var json))
            throw new InvalidDataException(
                $"Candidate '{candidate.Name}' ({candidate.Path}) answers text labels but has no '{ClassNamesKey}' in its metadata_props, " +
                "so its probability columns cannot be matched to label values. Export it with the class names (the ML.NET exporter writes them).");
        var names = JsonSerializer.Deserialize<string[]>(json) ?? [];
        if (names.Length != classCount || names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new InvalidDataException(
                $"Candidate '{candidate.Name}' ({candidate.Path}) has {classCount} probability columns but '{ClassNamesKey}' lists " +
                $"[{string.Join(", ", names)}]; it needs one distinct name per column.");
        return new CandidateLabels(candidate.Name, names, classCount);
    }

    /// <summary>The column of a label value the model answered, or an error naming the value.</summary>
    public int ColumnOfAnswer(string value, int row) => _columnOf.TryGetValue(value, out var column)
        ? column
        : throw new InvalidDataException(
            $"Candidate '{_candidate}' answered label '{value}' for test row {row}, which is not one of its classes [{string.Join(", ", _columnOf.Keys)}].");

    /// <summary>The column of each row's true label; a label the model does not know is an error, not a miss.</summary>
    public int[] ColumnsOfTruth(string[] labelValues)
    {
        var columns = new int[labelValues.Length];
        for (var row = 0; row < labelValues.Length; row++)
        {
            if (!_columnOf.TryGetValue(labelValues[row], out columns[row]))
                throw new ArgumentException(
                    $"Test label {labelValues[row]} at row {row} is not one of the model's {_columnOf.Count} classes " +
                    $"({(IsText ? string.Join(", ", _columnOf.Keys) : $"0..{_columnOf.Count - 1}")}); the test set and the model disagree on the classes.",
                    nameof(labelValues));
        }

        return columns;
    }
}
