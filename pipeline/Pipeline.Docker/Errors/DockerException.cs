namespace Pipeline.Docker;

/// <summary>
/// The Docker engine refused or failed a request. <see cref="StatusCode"/> is the HTTP status it answered
/// (null when the error arrived inside a streamed 200 answer, as build and push errors do, or when no engine
/// answered); <see cref="EngineMessage"/> is the engine's own "message" text.
/// </summary>
public class DockerException : Exception
{
    public DockerException(string message, HttpStatusCode? statusCode = null, string? engineMessage = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    public HttpStatusCode? StatusCode { get; }

    public string? EngineMessage { get; }

    /// <summary>The engine answered 404: no such image or container.</summary>
    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;

    /// <summary>The engine answered 409: a name already in use, an image in use by a container, a container not running...</summary>
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict;
}
