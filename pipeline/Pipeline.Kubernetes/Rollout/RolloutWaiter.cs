using Pipeline.Kubernetes.Api;

namespace Pipeline.Kubernetes.Rollout;

/// <summary>How a wait ended: done, failed (progress deadline), or out of time; with the last status message.</summary>
public sealed record RolloutOutcome(bool Succeeded, bool TimedOut, string Message);

/// <summary>Polls a Deployment until <see cref="RolloutStatus"/> says done or failed, or the timeout passes.</summary>
public sealed class RolloutWaiter(IKubernetesApi api, TimeProvider time, Action<string> log)
{
    public async Task<RolloutOutcome> WaitAsync(string @namespace, string name, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        string? lastMessage = null;
        while (true)
        {
            var deployment = await api.GetAsync(ResourceType.Deployments, @namespace, name, cancellationToken)
                ?? throw new KubernetesApiException($"The deployment {@namespace}/{name} disappeared during the rollout.", 404, "NotFound");
            var state = RolloutStatus.Evaluate(deployment);
            if (state.Message != lastMessage)
            {
                log(state.Message);
                lastMessage = state.Message;
            }

            if (state.Done) return new RolloutOutcome(true, false, state.Message);
            if (state.Failed) return new RolloutOutcome(false, false, state.Message);
            if (time.GetUtcNow() >= deadline)
            {
                return new RolloutOutcome(false, true, $"timed out after {timeout.TotalSeconds:0.#} s waiting for the rollout ({state.Message})");
            }

            await Task.Delay(pollInterval, time, cancellationToken);
        }
    }
}
