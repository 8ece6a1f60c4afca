namespace Pipeline.LoadTesting.Scenarios;

/// <summary>
/// What one request produced: a status code (HTTP or any protocol's), bytes moved, or the kind of exception that
/// ended it. Keeps the generator free of HTTP: a scenario is any <see cref="LoadScenario"/> delegate.
/// </summary>
public readonly record struct RequestOutcome(int? StatusCode, long BytesSent, long BytesReceived, string? ErrorKind)
{
    public static RequestOutcome Status(int statusCode, long bytesSent = 0, long bytesReceived = 0) =>
        new(statusCode, bytesSent, bytesReceived, null);

    public static RequestOutcome Failed(string errorKind, long bytesSent = 0) =>
        new(null, bytesSent, 0, string.IsNullOrWhiteSpace(errorKind) ? "Unknown" : errorKind);

    /// <summary>Failed with an exception, or answered with a status of 400 or more.</summary>
    public bool IsError => ErrorKind is not null || StatusCode is null or >= 400;
}

/// <summary>One request of a load test; honour the token, it is cancelled at the run's hard stop.</summary>
public delegate Task<RequestOutcome> LoadScenario(CancellationToken cancellationToken);
