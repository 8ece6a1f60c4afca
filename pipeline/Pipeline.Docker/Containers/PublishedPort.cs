namespace Pipeline.Docker;

/// <summary>A container port the engine published on a host address.</summary>
public sealed record PublishedPort(int ContainerPort, string Protocol, string HostIp, int HostPort);
