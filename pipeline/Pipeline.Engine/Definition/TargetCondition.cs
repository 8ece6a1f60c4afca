namespace Pipeline.Engine;

/// <summary>An OnlyWhen condition with the source text it was written as, so skip reasons can quote it.</summary>
internal sealed record TargetCondition(string Text, Func<bool> Evaluate)
{
    public static TargetCondition Create(Func<bool> condition, string? sourceText)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var text = (sourceText ?? "condition").Trim();
        if (text.StartsWith("()", StringComparison.Ordinal))
        {
            var arrow = text.IndexOf("=>", StringComparison.Ordinal);
            if (arrow >= 0)
            {
                text = text[(arrow + 2)..].Trim();
            }
        }

        return new TargetCondition(text, condition);
    }
}
