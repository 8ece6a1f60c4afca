using System.Net.Sockets;

namespace Pipeline.Docker;

/// <summary>
/// The HTTP side of the client: versioned paths, timeouts, and turning every failure into a
/// <see cref="DockerException"/> that names what was being done and what the engine said.
/// </summary>
internal sealed class DockerApi(DockerEndpoint endpoint, DockerClientOptions options) : IDisposable
{
    private readonly HttpClient http = endpoint.CreateHttpClient(Timeout.InfiniteTimeSpan);
    private readonly SemaphoreSlim negotiation = new(1, 1);
    private string? versionPrefix = options.ApiVersion is { } pinned ? $"v{pinned}/" : null;

    public DockerEndpoint Endpoint => endpoint;

    /// <summary>Sends the request and reads the whole answer, all within the request timeout.</summary>
    public async Task<string> SendAsync(DockerRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout + request.ExtraTime);
        try
        {
            using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DockerException(
                $"Cannot {request.Operation}: the engine on {endpoint} gave no answer within " +
                $"{(options.RequestTimeout + request.ExtraTime).TotalSeconds:0.#} s",
                inner: ex);
        }
    }

    /// <summary>
    /// Sends the request and returns once the status and headers arrived; the body is the caller's to read
    /// (progress streams, logs) and may take as long as the work does, so only the caller's token limits it.
    /// </summary>
    public Task<HttpResponseMessage> OpenStreamAsync(DockerRequest request, CancellationToken cancellationToken) =>
        SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>GET on an unversioned path (/_ping, /version), the same on every engine.</summary>
    public async Task<string> GetUnversionedAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Get, path);
            using var response = await TransmitAsync(message, operation, HttpCompletionOption.ResponseContentRead, timeout.Token)
                .ConfigureAwait(false);
            await ThrowIfFailedAsync(response, operation, [], timeout.Token).ConfigureAwait(false);
            return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DockerEngineUnavailableException(endpoint, $"no answer within {options.RequestTimeout.TotalSeconds:0.#} s", ex);
        }
    }

    public void Dispose()
    {
        http.Dispose();
        negotiation.Dispose();
    }

    private async Task<HttpResponseMessage> SendCoreAsync(
        DockerRequest request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var prefix = await VersionPrefixAsync(cancellationToken).ConfigureAwait(false);
        using var message = new HttpRequestMessage(request.Method, prefix + request.Path);
        message.Content = request.Content?.Invoke();
        foreach (var (name, value) in request.Headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await TransmitAsync(message, request.Operation, completion, cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfFailedAsync(response, request.Operation, request.AlsoAccepted, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> TransmitAsync(
        HttpRequestMessage message, string operation, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        if (endpoint.UnixSocketPath is { } socket && !File.Exists(socket))
        {
            throw new DockerEngineUnavailableException(endpoint, $"{socket} does not exist");
        }

        try
        {
            return await http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            throw new DockerEngineUnavailableException(endpoint,
                $"permission denied on {endpoint.UnixSocketPath}: run as root, or add the user to the docker group " +
                "(usermod -aG docker $USER, then log in again)",
                ex);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError || ex.InnerException is SocketException)
        {
            throw new DockerEngineUnavailableException(endpoint, (ex.InnerException ?? ex).Message, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DockerException($"Cannot {operation}: the connection to {endpoint} failed: {ex.Message}", inner: ex);
        }
    }

    private static async Task ThrowIfFailedAsync(
        HttpResponseMessage response, string operation, IReadOnlyList<HttpStatusCode> alsoAccepted, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode || alsoAccepted.Contains(response.StatusCode))
        {
            return;
        }

        var body = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
        var engineMessage = EngineMessage(body);
        var status = (int)response.StatusCode;
        throw new DockerException(
            $"Cannot {operation}: {(engineMessage.Length > 0 ? engineMessage : response.ReasonPhrase)} (HTTP {status})",
            response.StatusCode,
            engineMessage);
    }

    // Errors come as {"message": "..."}; a proxy in between may answer plain text.
    private static string EngineMessage(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.String("message") ?? body;
        }
        catch (JsonException)
        {
            return body.Length <= 300 ? body : body[..300] + "...";
        }
    }

    private async Task<string> VersionPrefixAsync(CancellationToken cancellationToken)
    {
        if (versionPrefix is { } known)
        {
            return known;
        }

        await negotiation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (versionPrefix is null)
            {
                var body = await GetUnversionedAsync("version", "read the engine version", cancellationToken).ConfigureAwait(false);
                using var json = JsonDocument.Parse(body);
                var chosen = ApiVersionNegotiation.Choose(json.RootElement.String("ApiVersion"), json.RootElement.String("MinAPIVersion"));
                versionPrefix = $"v{chosen}/";
            }

            return versionPrefix;
        }
        finally
        {
            negotiation.Release();
        }
    }
}
