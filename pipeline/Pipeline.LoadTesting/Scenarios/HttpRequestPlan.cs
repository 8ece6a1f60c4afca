namespace Pipeline.LoadTesting.Scenarios;

/// <summary>
/// One request of an HTTP scenario and, optionally, a check of its successful response's body that returns the error
/// kind to record (e.g. "WrongAnswer") or null when the answer is right. Checks run on the request's own task.
/// </summary>
public sealed record HttpRequestPlan(HttpRequestMessage Request, Func<ReadOnlyMemory<byte>, string?>? CheckBody = null);
