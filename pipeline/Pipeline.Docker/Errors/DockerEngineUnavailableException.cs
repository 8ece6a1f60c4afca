namespace Pipeline.Docker;

/// <summary>No Docker engine answers on the endpoint: not installed, not started, or DOCKER_HOST points elsewhere.</summary>
public sealed class DockerEngineUnavailableException(DockerEndpoint endpoint, string reason, Exception? inner = null)
    : DockerException(
        $"No Docker engine answers on {endpoint} ({reason}): run ./build.sh Setup (starts dockerd) " +
        $"or set {DockerEndpoint.HostVariable} to a running engine",
        null,
        null,
        inner)
{
    public DockerEndpoint Endpoint => endpoint;

    /// <summary>Why it does not answer, e.g. "/var/run/docker.sock does not exist" or "Connection refused".</summary>
    public string Reason => reason;
}
