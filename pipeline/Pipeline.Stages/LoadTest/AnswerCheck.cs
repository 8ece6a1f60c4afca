namespace Pipeline.Stages;

/// <summary>Whether a served answer is the gated model's own: the same single label and every probability within the tolerance.</summary>
public static class AnswerCheck
{
    public const string WrongAnswer = "WrongAnswer";
    public const string UnreadableAnswer = "UnreadableAnswer";
    public const double ProbabilityTolerance = 1e-4;

    /// <summary>Null when <paramref name="answer"/> matches, else <see cref="WrongAnswer"/>.</summary>
    public static string? Compare(InferenceAnswer answer, float[] expectedProbabilities, string expectedLabel)
    {
        if (answer.Labels is not [var label] || label != expectedLabel || answer.Probabilities.Length != expectedProbabilities.Length) return WrongAnswer;
        for (var c = 0; c < expectedProbabilities.Length; c++)
            if (!(Math.Abs(answer.Probabilities[c] - expectedProbabilities[c]) <= ProbabilityTolerance)) return WrongAnswer;
        return null;
    }
}
