namespace Pipeline.ReverseProxy;

/// <summary>
/// One row of haproxy's <c>show stat</c> for a model's backend: a server slot, or the whole backend when
/// <see cref="Slot"/> is <see cref="BackendSlot"/>. Counters start at zero when a reload starts a new worker.
/// </summary>
/// <param name="CurrentSessions">Requests in progress on the server now (scur).</param>
/// <param name="TotalSessions">Requests sent to it since the worker started (stot).</param>
/// <param name="Responses5xx">Answers with a 5xx status, the server's or the edge's own 502/503/504 (hrsp_5xx).</param>
/// <param name="Errors">Connections that failed (econ) and answers that broke off (eresp).</param>
/// <param name="Status">UP, DRAIN, MAINT, "no check" … as haproxy says.</param>
public sealed record EdgeServerStats(string Model, string Slot, long CurrentSessions, long TotalSessions, long Responses5xx, long Errors, string Status, int Weight)
{
    public const string BackendSlot = "BACKEND";

    /// <summary>True for the row of the model's gRPC backend (its edge errors answer HTTP 200 with a grpc-status, so they are not in <see cref="Responses5xx"/>).</summary>
    public bool Grpc { get; init; }
}
