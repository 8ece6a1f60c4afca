namespace Pipeline.Onnx;

internal static class OnnxNames
{
    public static void RequireName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{what} needs a non-empty name.", nameof(name));
    }
}
