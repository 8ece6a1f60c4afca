namespace Pipeline.OnnxRuntime;

/// <summary>Whether independent graph branches run one after another or on the inter-op thread pool.</summary>
public enum ExecutionMode
{
    Sequential = 0,
    Parallel = 1,
}
