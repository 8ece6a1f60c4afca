namespace Serving.Server;

/// <summary>What went wrong, from the client's point of view; <see cref="Http.ErrorResponses"/> maps it to a status.</summary>
internal enum ServingErrorKind
{
    BadRequest,
    NotFound,
    PayloadTooLarge,
    Unavailable,
}

/// <summary>A request the server refuses, with a message that tells the client what to change.</summary>
internal sealed class ServingException(ServingErrorKind kind, string message) : Exception(message)
{
    public ServingErrorKind Kind { get; } = kind;

    public static ServingException BadRequest(string message) => new(ServingErrorKind.BadRequest, message);

    public static ServingException NotFound(string message) => new(ServingErrorKind.NotFound, message);

    public static ServingException PayloadTooLarge(string message) => new(ServingErrorKind.PayloadTooLarge, message);

    public static ServingException Unavailable(string message) => new(ServingErrorKind.Unavailable, message);
}
