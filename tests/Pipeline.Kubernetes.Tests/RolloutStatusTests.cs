namespace Pipeline.Kubernetes.Tests;

/// <summary>The cases of kubectl's DeploymentStatusViewer, in its order of precedence.</summary>
public sealed class RolloutStatusTests
{
    private static JsonObject Deployment(long generation, long observed, long? replicas, long updated, long total, long available, string? progressingReason = null)
    {
        var deployment = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "web", ["generation"] = generation },
            ["spec"] = replicas is null ? new JsonObject() : new JsonObject { ["replicas"] = replicas },
            ["status"] = new JsonObject
            {
                ["observedGeneration"] = observed, ["updatedReplicas"] = updated, ["replicas"] = total, ["availableReplicas"] = available,
                ["conditions"] = progressingReason is null ? new JsonArray() : new JsonArray(new JsonObject { ["type"] = "Progressing", ["reason"] = progressingReason }),
            },
        };
        return deployment;
    }

    [Theory]
    [InlineData(3, 2, 2, 2, 2, 2, null, false, false, "Waiting for deployment spec update to be observed...")]
    [InlineData(3, 2, 2, 0, 0, 0, "ProgressDeadlineExceeded", false, false, "Waiting for deployment spec update to be observed...")]
    [InlineData(2, 2, 2, 1, 3, 2, "ProgressDeadlineExceeded", false, true, "deployment \"web\" exceeded its progress deadline")]
    [InlineData(2, 2, 3, 1, 3, 2, "ReplicaSetUpdated", false, false, "Waiting for deployment \"web\" rollout to finish: 1 out of 3 new replicas have been updated...")]
    [InlineData(2, 2, 3, 3, 4, 3, "ReplicaSetUpdated", false, false, "Waiting for deployment \"web\" rollout to finish: 1 old replicas are pending termination...")]
    [InlineData(2, 2, 3, 3, 3, 2, "ReplicaSetUpdated", false, false, "Waiting for deployment \"web\" rollout to finish: 2 of 3 updated replicas are available...")]
    [InlineData(2, 2, 3, 3, 3, 3, "NewReplicaSetAvailable", true, false, "deployment \"web\" successfully rolled out")]
    [InlineData(2, 3, 3, 3, 3, 3, null, true, false, "deployment \"web\" successfully rolled out")]
    [InlineData(1, 1, null, 0, 0, 0, null, true, false, "deployment \"web\" successfully rolled out")]
    public void DecidesAsKubectlDoes(int generation, int observed, int? replicas, int updated, int total, int available, string? reason,
        bool done, bool failed, string message)
    {
        var state = RolloutStatus.Evaluate(Deployment(generation, observed, replicas, updated, total, available, reason));

        Assert.Equal((done, failed, message), (state.Done, state.Failed, state.Message));
    }
}
