using Pipeline.OnnxRuntime;

namespace Pipeline.Gates;

/// <summary>Checks a session has a classifier's signature for the test set's inputs before any Run, so a mismatch says what differs.</summary>
internal sealed class ClassifierSignature(EvaluationOptions options, ModelCandidate candidate)
{
    /// <returns>The element type of the label output: int64 class indices, or text label values.</returns>
    public TensorElementType Check(InferenceSession session, IReadOnlyList<NamedTensor> inputs)
    {
        foreach (var tensor in inputs)
        {
            var input = Find(session.Inputs, tensor.Name, "input", nameof(EvaluationOptions.InputName));
            if (input.ElementType != tensor.Tensor.ElementType || input.Shape.Count != tensor.Tensor.Shape.Count)
                throw Mismatch($"input '{input.Name}' is {Describe(input)} but the test set's is {tensor.Tensor.ElementType} [{string.Join(", ", tensor.Tensor.Shape)}]");
            for (var d = 1; d < input.Shape.Count; d++)
            {
                if (input.Shape[d] != -1 && input.Shape[d] != tensor.Tensor.Shape[d])
                    throw Mismatch(d == 1 && input.Shape.Count == 2
                        ? $"input '{input.Name}' takes {input.Shape[d]} features per row but the test set has {tensor.Tensor.Shape[d]}"
                        : $"input '{input.Name}' takes {input.Shape[d]} values in dimension {d} but the test set has {tensor.Tensor.Shape[d]}");
            }
        }

        var missing = session.Inputs.Where(i => inputs.All(t => t.Name != i.Name)).Select(i => i.Name).ToList();
        if (missing.Count > 0)
            throw Mismatch($"it needs input(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} the test set does not have (test set inputs: {string.Join(", ", inputs.Select(i => i.Name))})");
        Require(Find(session.Outputs, options.ProbabilitiesOutput, "output", nameof(EvaluationOptions.ProbabilitiesOutput)),
            [TensorElementType.Float], rank: 2, "output");
        var label = Find(session.Outputs, options.LabelOutput, "output", nameof(EvaluationOptions.LabelOutput));
        Require(label, [TensorElementType.Int64, TensorElementType.String], rank: 1, "output");
        return label.ElementType;
    }

    private NodeMetadata Find(IReadOnlyList<NodeMetadata> nodes, string name, string role, string option) =>
        nodes.FirstOrDefault(node => node.Name == name)
        ?? throw Mismatch($"it has no {role} '{name}' (its {role}s: {Describe(nodes)}); " +
                          $"set {nameof(EvaluationOptions)}.{option} if the model names it differently");

    private void Require(NodeMetadata node, TensorElementType[] types, int rank, string role)
    {
        if (!types.Contains(node.ElementType) || node.Shape.Count != rank)
            throw Mismatch($"{role} '{node.Name}' is {Describe(node)}, expected {string.Join(" or ", types)} with {rank} dimension(s)");
    }

    private InvalidDataException Mismatch(string detail) => new(
        $"Candidate '{candidate.Name}' ({candidate.Path}) does not have the classifier signature the gates evaluate: {detail}. " +
        "Expected the test set's inputs, outputs float [N, classes] probabilities and [N] labels (int64 class indices or text label values).");

    private static string Describe(IReadOnlyList<NodeMetadata> nodes) =>
        nodes.Count == 0 ? "none" : string.Join(", ", nodes.Select(node => $"'{node.Name}' {Describe(node)}"));

    private static string Describe(NodeMetadata node) => $"{node.ElementType} [{string.Join(", ", node.Shape)}]";
}
