using System.Text.Json.Nodes;

namespace Pipeline.Docker;

/// <summary>The create-container request body for a <see cref="ContainerSpec"/>, in the engine's field names.</summary>
internal static class ContainerSpecJson
{
    public static string Write(ContainerSpec spec)
    {
        var body = new JsonObject { ["Image"] = spec.Image };
        if (spec.Environment.Count > 0)
        {
            body["Env"] = Array(spec.Environment.Select(pair => $"{pair.Key}={pair.Value}"));
        }

        if (spec.Command is { } command)
        {
            body["Cmd"] = Array(command);
        }

        if (spec.Entrypoint is { } entrypoint)
        {
            body["Entrypoint"] = Array(entrypoint);
        }

        if (spec.Labels.Count > 0)
        {
            body["Labels"] = Map(spec.Labels);
        }

        if (spec.User is { } user)
        {
            body["User"] = user;
        }

        if (spec.Ports.Count > 0)
        {
            body["ExposedPorts"] = new JsonObject(spec.Ports.DistinctBy(port => port.Key)
                .Select(port => KeyValuePair.Create(port.Key, (JsonNode?)new JsonObject())));
        }

        if (spec.Healthcheck is { } health)
        {
            body["Healthcheck"] = Healthcheck(health);
        }

        body["HostConfig"] = HostConfig(spec);
        return body.ToJsonString();
    }

    private static JsonObject HostConfig(ContainerSpec spec)
    {
        var host = new JsonObject();
        if (spec.Ports.Count > 0)
        {
            host["PortBindings"] = new JsonObject(spec.Ports.GroupBy(port => port.Key).Select(group => KeyValuePair.Create(
                group.Key,
                (JsonNode?)new JsonArray(group.Select(port => (JsonNode)new JsonObject
                {
                    ["HostIp"] = port.HostIp,
                    // An empty HostPort is how the engine is asked for a free port.
                    ["HostPort"] = port.HostPort == 0 ? string.Empty : port.HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }).ToArray()))));
        }

        if (spec.ReadOnlyRootFilesystem)
        {
            host["ReadonlyRootfs"] = true;
        }

        if (spec.TmpfsMounts.Count > 0)
        {
            host["Tmpfs"] = Map(spec.TmpfsMounts);
        }

        if (spec.MemoryLimitBytes is { } memory)
        {
            host["Memory"] = memory;
        }

        if (spec.Cpus is { } cpus)
        {
            host["NanoCpus"] = (long)Math.Round(cpus * 1e9);
        }

        if (spec.DropAllCapabilities)
        {
            host["CapDrop"] = Array(["ALL"]);
        }

        if (spec.NoNewPrivileges)
        {
            host["SecurityOpt"] = Array(["no-new-privileges"]);
        }

        if (spec.NetworkMode is { } network)
        {
            host["NetworkMode"] = network;
        }

        return host;
    }

    private static JsonObject Healthcheck(HealthcheckSpec health)
    {
        var json = new JsonObject { ["Test"] = Array(health.Test) };
        // The engine counts in nanoseconds.
        if (health.Interval is { } interval)
        {
            json["Interval"] = interval.Ticks * 100;
        }

        if (health.Timeout is { } timeout)
        {
            json["Timeout"] = timeout.Ticks * 100;
        }

        if (health.StartPeriod is { } startPeriod)
        {
            json["StartPeriod"] = startPeriod.Ticks * 100;
        }

        if (health.Retries is { } retries)
        {
            json["Retries"] = retries;
        }

        return json;
    }

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(item => (JsonNode?)JsonValue.Create(item)).ToArray());

    private static JsonObject Map(IReadOnlyDictionary<string, string> map) =>
        new(map.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)JsonValue.Create(pair.Value))));
}
