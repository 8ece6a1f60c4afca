using System.Net;

namespace Pipeline.LoadTesting.Scenarios;

/// <summary>Builds HTTP scenarios: sends a freshly prepared request and records status code and bytes.</summary>
public static class HttpScenario
{
    /// <summary>
    /// A handler with a hard connection limit, so the client side cannot open unbounded sockets; requests beyond
    /// the limit queue in the handler, and that queueing is part of the measured latency (as a real client sees it).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(int maxConnections)
    {
        if (maxConnections < 1)
            throw new ArgumentOutOfRangeException(nameof(maxConnections), maxConnections, "Max connections must be at least 1.");
        return new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
    }

    /// <summary>
    /// A scenario that sends <paramref name="createRequest"/>() on <paramref name="client"/> (a request message can
    /// be sent once only, hence the factory) and reads the whole body so bytes received are real.
    /// </summary>
    public static LoadScenario Create(HttpClient client, Func<HttpRequestMessage> createRequest)
    {
        ArgumentNullException.ThrowIfNull(createRequest);
        return Create(client, () => new HttpRequestPlan(createRequest()));
    }

    /// <summary>
    /// As above, and when the plan carries a body check, a successful response's body is handed to it: a non-null
    /// answer is the error kind the request is recorded with (e.g. "WrongAnswer"), keeping its status code.
    /// </summary>
    public static LoadScenario Create(HttpClient client, Func<HttpRequestPlan> plan)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(plan);
        return async cancellationToken =>
        {
            var (request, check) = plan();
            using var _ = request;
            var sent = request.Content?.Headers.ContentLength ?? 0;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (check is null || !response.IsSuccessStatusCode)
                    return RequestOutcome.Status(status, sent, await CountBodyBytesAsync(response, cancellationToken).ConfigureAwait(false));
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                return new RequestOutcome(status, sent, body.Length, check(body));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw; // the run's hard stop: the runner records it
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                return RequestOutcome.Failed(ExceptionKind(ex), sent);
            }
        };
    }

    private static async Task<long> CountBodyBytesAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0) total += read;
        return total;
    }

    private static string ExceptionKind(Exception ex) => ex switch
    {
        HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http => $"HttpRequestException.{http.HttpRequestError}",
        TaskCanceledException => "Timeout",
        _ => ex.GetType().Name,
    };
}
