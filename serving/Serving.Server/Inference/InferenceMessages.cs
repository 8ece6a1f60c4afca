namespace Serving.Server.Inference;

/// <summary>Client-facing messages used from more than one place.</summary>
internal static class InferenceMessages
{
    public static string WrongDatatype(string inputLabel, string given, string expected) =>
        $"Input {inputLabel} has datatype '{given}', but the model expects {expected}.";
}
