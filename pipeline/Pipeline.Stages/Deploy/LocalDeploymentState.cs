using Pipeline.Docker;
using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>One serving container of a local deployment, as Docker reports it.</summary>
public sealed record ServingSlot(string ContainerId, string Name, string Color, string Version, int? HostPort, bool Running);

/// <summary>
/// What a local deployment is now, read from Docker (containers labelled with the deployment) and from the proxy's
/// own configuration file and pid file. The active container is the running one the proxy's upstream points at.
/// </summary>
public sealed record LocalDeploymentState(ProxyDescription? Proxy, bool ProxyRunning, ServingSlot? Active, IReadOnlyList<ServingSlot> Containers)
{
    public static async Task<LocalDeploymentState> ReadAsync(DockerClient docker, NginxProxy proxy, string deployment, CancellationToken cancellationToken)
    {
        var summaries = await docker.ListContainersAsync(
            new ContainerFilter { Labels = [$"{DeploymentLabels.Deployment}={deployment}"], IncludeStopped = true }, cancellationToken);
        var slots = new List<ServingSlot>();
        foreach (var summary in summaries)
        {
            ContainerDetails details;
            try
            {
                details = await docker.InspectContainerAsync(summary.Id, cancellationToken);
            }
            catch (DockerException e) when (e.IsNotFound)
            {
                continue; // removed while we looked
            }
            var port = details.Ports.FirstOrDefault(p => p.ContainerPort == ServingContainer.ContainerPort && p.Protocol == "tcp")?.HostPort;
            slots.Add(new ServingSlot(details.Id, details.Name, details.Labels.GetValueOrDefault(DeploymentLabels.Color, "unknown"),
                details.Labels.GetValueOrDefault(DeploymentLabels.ModelVersion, "unknown"), details.State.Running ? port : null, details.State.Running));
        }

        var description = await proxy.ReadActiveDescriptionAsync(cancellationToken);
        var active = description is null
            ? null
            : slots.FirstOrDefault(s => s.Running && s.HostPort == description.UpstreamPort && s.Name == description.Backend);
        return new LocalDeploymentState(description, proxy.RunningMasterPid() is not null, active, slots);
    }

    /// <summary>Whether the proxy runs and points at a running container serving <paramref name="version"/>.</summary>
    public bool Serves(string version) => ProxyRunning && Active?.Version == version;

    public string Describe() => Active is { } active
        ? $"{active.Name} ({active.Version}) behind {(ProxyRunning ? "the running proxy" : "a proxy that is not running")}"
        : "nothing";
}
