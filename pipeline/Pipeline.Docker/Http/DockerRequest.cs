namespace Pipeline.Docker;

/// <summary>
/// One call to the engine API. <paramref name="Path"/> is relative to the versioned root ("containers/json?all=1");
/// <paramref name="Operation"/> says what was being done, for error messages ("inspect container 'web'").
/// </summary>
internal sealed record DockerRequest(HttpMethod Method, string Path, string Operation)
{
    public Func<HttpContent>? Content { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Added to the request timeout, for calls the engine itself holds open (stop waits for the container).</summary>
    public TimeSpan ExtraTime { get; init; }

    /// <summary>Non-2xx answers that mean success here, e.g. 304 "already started".</summary>
    public IReadOnlyList<HttpStatusCode> AlsoAccepted { get; init; } = [];

    public static DockerRequest Get(string path, string operation) => new(HttpMethod.Get, path, operation);

    public static DockerRequest Post(string path, string operation) => new(HttpMethod.Post, path, operation);

    public static DockerRequest Delete(string path, string operation) => new(HttpMethod.Delete, path, operation);

    public static DockerRequest PostJson(string path, string operation, string json) =>
        new(HttpMethod.Post, path, operation)
        {
            Content = () => new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
}
