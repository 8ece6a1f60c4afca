using System.Net.Sockets;

namespace Pipeline.Docker;

/// <summary>
/// Turns what Docker.DotNet and its transport throw into the project's errors: an engine refusal becomes a
/// <see cref="DockerException"/> with the HTTP status and the engine's own message; no connection becomes a
/// <see cref="DockerEngineUnavailableException"/> saying how to start one.
/// </summary>
internal static class EngineErrors
{
    /// <summary>The project's exception for <paramref name="error"/>, or null when it is not the engine's or the transport's (rethrow it as it is).</summary>
    public static DockerException? Translate(
        Exception error, string operation, DockerEndpoint endpoint, TimeSpan timeout, bool probing, CancellationToken callerToken)
    {
        switch (error)
        {
            case DockerException:
                return null;
            case DockerApiException api:
                var message = EngineMessage(api.ResponseBody);
                return new DockerException(
                    $"Cannot {operation}: {(message.Length > 0 ? message : api.StatusCode.ToString())} (HTTP {(int)api.StatusCode})",
                    api.StatusCode,
                    message,
                    api);
            case OperationCanceledException when !callerToken.IsCancellationRequested:
                return probing
                    ? new DockerEngineUnavailableException(endpoint, $"no answer within {timeout.TotalSeconds:0.#} s", error)
                    : new DockerException($"Cannot {operation}: the engine on {endpoint} gave no answer within {timeout.TotalSeconds:0.#} s", inner: error);
            case JsonException:
                return new DockerException($"Cannot {operation}: the engine answered with something that is not JSON", inner: error);
        }

        if (Find<SocketException>(error) is { SocketErrorCode: SocketError.AccessDenied })
        {
            return new DockerEngineUnavailableException(endpoint,
                $"permission denied on {endpoint.UnixSocketPath}: run as root, or add the user to the docker group " +
                "(usermod -aG docker $USER, then log in again)",
                error);
        }

        if (Find<SocketException>(error) is { } socket)
        {
            return new DockerEngineUnavailableException(endpoint, socket.Message, error);
        }

        return error is HttpRequestException http
            ? new DockerException($"Cannot {operation}: the connection to {endpoint} failed: {http.Message}", inner: error)
            : null;
    }

    // Errors come as {"message": "..."}; a proxy in between may answer plain text.
    private static string EngineMessage(string? body)
    {
        body = body?.Trim() ?? string.Empty;
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                   && json.RootElement.TryGetProperty("message", out var message)
                   && message.ValueKind == JsonValueKind.String
                ? message.GetString()!
                : body;
        }
        catch (JsonException)
        {
            return body.Length <= 300 ? body : body[..300] + "...";
        }
    }

    private static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }
        }

        return null;
    }
}
