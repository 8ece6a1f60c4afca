namespace Serving.Server.Hosting;

/// <summary>
/// A condition that must hold before the server reports ready, checked after the model warm-up, such as a
/// dependency coming up. Register implementations as services; readiness waits for every one of them.
/// </summary>
public interface IReadinessGate
{
    Task WaitAsync(CancellationToken cancellationToken);
}
