using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Tests.Fake;

/// <summary>
/// Which fields the kinds the pipeline writes declare (a subset of the OpenAPI schema: the fields the pipeline and
/// common manifests use; "any" marks subtrees not modelled, "map" string maps). Server-side apply converts the
/// applied object to its typed form and refuses a field the schema does not declare; so does a create or update
/// sent with fieldValidation=Strict.
/// </summary>
internal static class Schema
{
    private const string Metadata = """
        {"name":1,"generateName":1,"namespace":1,"labels":"map","annotations":"map","uid":1,"resourceVersion":1,"generation":1,
         "creationTimestamp":1,"deletionTimestamp":1,"deletionGracePeriodSeconds":1,"ownerReferences":"any","finalizers":"any","managedFields":"any","selfLink":1}
        """;

    private const string Probe = """
        {"httpGet":{"path":1,"port":1,"scheme":1,"host":1,"httpHeaders":"any"},"exec":{"command":[1]},"tcpSocket":"any","grpc":"any",
         "periodSeconds":1,"timeoutSeconds":1,"failureThreshold":1,"initialDelaySeconds":1,"successThreshold":1,"terminationGracePeriodSeconds":1}
        """;

    private const string Handler = """{"exec":{"command":[1]},"httpGet":"any","tcpSocket":"any","sleep":"any"}""";

    private static readonly string Container = $$$"""
        {"name":1,"image":1,"imagePullPolicy":1,"command":[1],"args":[1],"workingDir":1,
         "ports":[{"name":1,"containerPort":1,"protocol":1,"hostPort":1,"hostIP":1}],
         "env":[{"name":1,"value":1,"valueFrom":"any"}],"envFrom":"any",
         "resources":{"requests":"map","limits":"map","claims":"any"},
         "startupProbe":{{{Probe}}},"readinessProbe":{{{Probe}}},"livenessProbe":{{{Probe}}},
         "lifecycle":{"preStop":{{{Handler}}},"postStart":{{{Handler}}} },
         "securityContext":{"allowPrivilegeEscalation":1,"readOnlyRootFilesystem":1,"runAsNonRoot":1,"runAsUser":1,"runAsGroup":1,"privileged":1,"procMount":1,
           "capabilities":{"add":[1],"drop":[1]},"seccompProfile":{"type":1,"localhostProfile":1}},
         "volumeMounts":[{"name":1,"mountPath":1,"readOnly":1,"subPath":1,"mountPropagation":1}],
         "terminationMessagePath":1,"terminationMessagePolicy":1,"stdin":1,"tty":1}
        """;

    private static readonly string PodTemplate = $$$"""
        {"metadata":{{{Metadata}}},
         "spec":{"containers":[{{{Container}}}],"initContainers":[{{{Container}}}],
           "securityContext":{"runAsNonRoot":1,"runAsUser":1,"runAsGroup":1,"fsGroup":1,"fsGroupChangePolicy":1,"supplementalGroups":[1],"sysctls":"any",
             "seccompProfile":{"type":1,"localhostProfile":1}},
           "volumes":[{"name":1,"emptyDir":{"sizeLimit":1,"medium":1},"configMap":"any","secret":"any","projected":"any","persistentVolumeClaim":"any"}],
           "terminationGracePeriodSeconds":1,"automountServiceAccountToken":1,"enableServiceLinks":1,"serviceAccountName":1,"nodeSelector":"map",
           "affinity":"any","tolerations":"any","topologySpreadConstraints":"any","restartPolicy":1,"dnsPolicy":1,"schedulerName":1,"imagePullSecrets":"any",
           "priorityClassName":1}}
        """;

    private const string Selector = """{"matchLabels":"map","matchExpressions":"any"}""";

    private static readonly Dictionary<string, JsonNode> Kinds = new(StringComparer.Ordinal)
    {
        ["Deployment"] = Parse($$$"""
            {"spec":{"replicas":1,"selector":{{{Selector}}},"strategy":{"type":1,"rollingUpdate":{"maxUnavailable":1,"maxSurge":1}},
              "template":{{{PodTemplate}}},"revisionHistoryLimit":1,"progressDeadlineSeconds":1,"minReadySeconds":1,"paused":1}}
            """),
        ["Service"] = Parse("""
            {"spec":{"type":1,"selector":"map","ports":[{"name":1,"port":1,"targetPort":1,"protocol":1,"nodePort":1,"appProtocol":1}],
              "clusterIP":1,"clusterIPs":[1],"sessionAffinity":1,"externalTrafficPolicy":1,"internalTrafficPolicy":1,"ipFamilies":[1],"ipFamilyPolicy":1,
              "loadBalancerIP":1,"externalName":1}}
            """),
        ["HorizontalPodAutoscaler"] = Parse("""
            {"spec":{"scaleTargetRef":{"apiVersion":1,"kind":1,"name":1},"minReplicas":1,"maxReplicas":1,"behavior":"any",
              "metrics":[{"type":1,"resource":{"name":1,"target":{"type":1,"averageUtilization":1,"averageValue":1,"value":1}},
                "pods":"any","object":"any","external":"any","containerResource":"any"}]}}
            """),
        ["Secret"] = Parse("""{"data":"map","stringData":"map","type":1,"immutable":1}"""),
        ["PodDisruptionBudget"] = Parse($$$"""
            {"spec":{"selector":{{{Selector}}},"maxUnavailable":1,"minAvailable":1,"unhealthyPodEvictionPolicy":1}}
            """),
    };

    /// <summary>The first field of <paramref name="value"/> its kind does not declare, as ".spec.template.spec.containers[name=\"server\"].foo"; null when all are declared or the kind is not modelled.</summary>
    public static string? FirstUndeclaredField(JsonObject value, string kind)
    {
        if (!Kinds.TryGetValue(kind, out var spec)) return null;
        var declared = (JsonObject)spec.DeepClone();
        declared["apiVersion"] = 1;
        declared["kind"] = 1;
        declared["metadata"] = Parse(Metadata);
        declared["status"] = "any";
        return Walk(value, declared, "");
    }

    private static string? Walk(JsonNode? value, JsonNode? declared, string path)
    {
        switch (declared)
        {
            case JsonValue v when v.TryGetValue(out string? s) && s is "any" or "map":
                return null;
            case JsonObject fields when value is JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (!fields.ContainsKey(key)) return $"{path}.{key}";
                    if (Walk(child, fields[key], $"{path}.{key}") is { } found) return found;
                }

                return null;
            case JsonArray element when value is JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    var at = items[i] is JsonObject o && o["name"] is JsonValue n ? $"[name=\"{n}\"]" : $"[{i}]";
                    if (Walk(items[i], element[0], path + at) is { } found) return found;
                }

                return null;
            default:
                return null;
        }
    }

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;
}
