using Pipeline.OnnxRuntime;

namespace Pipeline.Gates;

/// <summary>Checks a session has the exported classifier's signature before any Run, so a mismatch says what differs.</summary>
internal sealed class ClassifierSignature(EvaluationOptions options, ModelCandidate candidate)
{
    public void Check(InferenceSession session, int featureCount)
    {
        var input = Find(session.Inputs, options.InputName, "input", nameof(EvaluationOptions.InputName));
        Require(input, TensorElementType.Float, rank: 2, "input");
        if (input.Shape[1] != -1 && input.Shape[1] != featureCount)
            throw Mismatch($"input '{input.Name}' takes {input.Shape[1]} features per row but the test set has {featureCount}");
        Require(Find(session.Outputs, options.ProbabilitiesOutput, "output", nameof(EvaluationOptions.ProbabilitiesOutput)),
            TensorElementType.Float, rank: 2, "output");
        Require(Find(session.Outputs, options.LabelOutput, "output", nameof(EvaluationOptions.LabelOutput)),
            TensorElementType.Int64, rank: 1, "output");
    }

    private NodeMetadata Find(IReadOnlyList<NodeMetadata> nodes, string name, string role, string option) =>
        nodes.FirstOrDefault(node => node.Name == name)
        ?? throw Mismatch($"it has no {role} '{name}' (its {role}s: {Describe(nodes)}); " +
                          $"set {nameof(EvaluationOptions)}.{option} if the model names it differently");

    private void Require(NodeMetadata node, TensorElementType type, int rank, string role)
    {
        if (node.ElementType != type || node.Shape.Count != rank)
            throw Mismatch($"{role} '{node.Name}' is {Describe(node)}, expected {type} with {rank} dimension(s)");
    }

    private InvalidDataException Mismatch(string detail) => new(
        $"Candidate '{candidate.Name}' ({candidate.Path}) does not have the classifier signature the gates evaluate: {detail}. " +
        "Expected input float [N, features], outputs float [N, classes] probabilities and int64 [N] labels.");

    private static string Describe(IReadOnlyList<NodeMetadata> nodes) =>
        nodes.Count == 0 ? "none" : string.Join(", ", nodes.Select(node => $"'{node.Name}' {Describe(node)}"));

    private static string Describe(NodeMetadata node) => $"{node.ElementType} [{string.Join(", ", node.Shape)}]";
}
