using System.Globalization;

namespace Pipeline.Docker;

/// <summary>
/// Docker.DotNet's create-container parameters for a <see cref="ContainerSpec"/>: only what the spec sets is
/// filled in, so everything else stays the image's or the engine's default.
/// </summary>
internal static class ContainerSpecParameters
{
    public static CreateContainerParameters From(ContainerSpec spec)
    {
        var parameters = new CreateContainerParameters { Name = spec.Name, Image = spec.Image, HostConfig = HostConfig(spec) };
        if (spec.Environment.Count > 0)
        {
            parameters.Env = [.. spec.Environment.Select(pair => $"{pair.Key}={pair.Value}")];
        }

        if (spec.Command is { } command)
        {
            parameters.Cmd = [.. command];
        }

        if (spec.Entrypoint is { } entrypoint)
        {
            parameters.Entrypoint = [.. entrypoint];
        }

        if (spec.Labels.Count > 0)
        {
            parameters.Labels = new Dictionary<string, string>(spec.Labels);
        }

        if (spec.User is { } user)
        {
            parameters.User = user;
        }

        if (spec.Ports.Count > 0)
        {
            parameters.ExposedPorts = spec.Ports.DistinctBy(port => port.Key).ToDictionary(port => port.Key, _ => new EmptyStruct());
        }

        if (spec.Healthcheck is { } health)
        {
            parameters.Healthcheck = new HealthcheckConfig
            {
                Test = [.. health.Test],
                Interval = health.Interval,
                Timeout = health.Timeout,
                StartPeriod = health.StartPeriod,
                Retries = health.Retries,
            };
        }

        return parameters;
    }

    private static HostConfig HostConfig(ContainerSpec spec)
    {
        var host = new HostConfig
        {
            ReadonlyRootfs = spec.ReadOnlyRootFilesystem,
            // 0 is the engine's "no limit".
            Memory = spec.MemoryLimitBytes ?? 0,
            NanoCPUs = spec.Cpus is { } cpus ? (long)Math.Round(cpus * 1e9) : 0,
        };
        if (spec.Ports.Count > 0)
        {
            host.PortBindings = spec.Ports.GroupBy(port => port.Key).ToDictionary(
                group => group.Key,
                group => (IList<PortBinding>)group.Select(port => new PortBinding
                {
                    HostIP = port.HostIp,
                    // An empty HostPort is how the engine is asked for a free port.
                    HostPort = port.HostPort == 0 ? string.Empty : port.HostPort.ToString(CultureInfo.InvariantCulture),
                }).ToList());
        }

        if (spec.TmpfsMounts.Count > 0)
        {
            host.Tmpfs = new Dictionary<string, string>(spec.TmpfsMounts);
        }

        if (spec.ReadOnlyBindMounts.Count > 0)
        {
            // Mounts, not Binds: a path with ':' in it cannot be mistaken for the separator.
            host.Mounts = [.. spec.ReadOnlyBindMounts.Select(pair => new Mount { Type = "bind", Source = pair.Key, Target = pair.Value, ReadOnly = true })];
        }

        if (spec.DropAllCapabilities)
        {
            host.CapDrop = ["ALL"];
        }

        if (spec.NoNewPrivileges)
        {
            host.SecurityOpt = ["no-new-privileges"];
        }

        if (spec.NetworkMode is { } network)
        {
            host.NetworkMode = network;
        }

        return host;
    }
}
