namespace Serving.Server.Inference;

/// <summary>Client-facing messages used from more than one place (and by both protocols, which must say the same).</summary>
internal static class InferenceMessages
{
    /// <summary>Longest request id echoed back: ids are for correlation, and a huge one would be copied into every answer.</summary>
    public const int MaxIdLength = 256;

    public static string WrongDatatype(string inputLabel, string given, string expected) =>
        $"Input {inputLabel} has datatype '{given}', but the model expects {expected}.";

    public static string BodyTooLarge(long length, long limit) =>
        $"The request body is {length} bytes, over this server's limit of {limit} bytes; send fewer rows per request.";

    public static string IdTooLong(int length) =>
        $"The request id is {length} characters long; at most {MaxIdLength} are allowed.";

    public static string TooManyInputs(int maxInputs) =>
        $"The request has more than {maxInputs} inputs; the model takes {maxInputs}.";
}
