namespace Pipeline.OnnxRuntime;

/// <summary>ORT's <c>GraphOptimizationLevel</c>; note that <see cref="All"/> is 99 in the C API.</summary>
public enum GraphOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}
