namespace Pipeline.Kubernetes.Tests;

public sealed class ObjectDiffTests
{
    [Fact]
    public void ShowsChangedAddedAndRemovedFieldsButNotServerBookkeeping()
    {
        var live = JsonNode.Parse("""
            {"metadata":{"name":"x","resourceVersion":"5","managedFields":[{"manager":"a"}],"labels":{"app.kubernetes.io/version":"1"},"annotations":{"old":"yes"}},
             "spec":{"replicas":2,"template":{"spec":{"containers":[{"image":"a:1"}]}}},"status":{"replicas":2}}
            """)!.AsObject();
        var proposed = JsonNode.Parse("""
            {"metadata":{"name":"x","resourceVersion":"6","managedFields":[{"manager":"b"}],"labels":{"app.kubernetes.io/version":"2"}},
             "spec":{"replicas":2,"paused":false,"template":{"spec":{"containers":[{"image":"a:2"}]}}},"status":{"replicas":3}}
            """)!.AsObject();

        var lines = ObjectDiff.Compare(live, proposed);

        Assert.Equal(
            [
                "~ metadata.labels[\"app.kubernetes.io/version\"]: \"1\" -> \"2\"",
                "+ spec.paused: false",
                "~ spec.template.spec.containers[0].image: \"a:1\" -> \"a:2\"",
                "- metadata.annotations.old: \"yes\"",
            ],
            lines);
    }

    [Fact]
    public void IdenticalObjectsHaveNoDifferences()
    {
        var value = JsonNode.Parse("""{"metadata":{"name":"x"},"spec":{"replicas":1}}""")!.AsObject();

        Assert.Empty(ObjectDiff.Compare(value, (JsonObject)value.DeepClone()));
    }
}
