using Pipeline.Docker;
using Pipeline.ReverseProxy;

namespace Pipeline.Stages;

/// <summary>One serving container of a local deployment, as Docker reports it.</summary>
public sealed record ServingSlot(string ContainerId, string Name, string Color, string Version, int? HostPort, bool Running);

/// <summary>
/// What a local deployment is now, read from Docker (containers labelled with the deployment) and from the edge's
/// own description file and pid file. The active container is the running one the model's route sends traffic to.
/// </summary>
public sealed record LocalDeploymentState(EdgeDescription? Edge, bool EdgeRunning, ServingSlot? Active, IReadOnlyList<ServingSlot> Containers)
{
    public static async Task<LocalDeploymentState> ReadAsync(DockerClient docker, HaproxyEdge edge, string deployment, string model, CancellationToken cancellationToken)
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

        var description = await edge.ReadActiveDescriptionAsync(cancellationToken);
        var route = description?.Route(model);
        var active = route is null
            ? null
            : slots.FirstOrDefault(s => s.Running && route.Servers.Any(server => server.Weight > 0 && server.Backend == s.Name));
        return new LocalDeploymentState(description, edge.RunningMasterPid() is not null, active, slots);
    }

    /// <summary>The edge's route for <paramref name="model"/>, or null.</summary>
    public EdgeRoute? Route(string model) => Edge?.Route(model);

    /// <summary>Whether the edge runs and routes to a running container serving <paramref name="version"/>.</summary>
    public bool Serves(string version) => EdgeRunning && Active?.Version == version;

    public string Describe() => Active is { } active
        ? $"{active.Name} ({active.Version}) behind {(EdgeRunning ? "the running edge" : "an edge that is not running")}"
        : "nothing";
}
