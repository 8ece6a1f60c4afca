namespace Pipeline.Docker;

/// <summary>
/// A container to create. Only what is set is sent; everything else is the engine's
/// default. For a hardened service set <see cref="ReadOnlyRootFilesystem"/>, <see cref="TmpfsMounts"/> for the
/// paths it writes, <see cref="DropAllCapabilities"/>, <see cref="NoNewPrivileges"/>, a non-root
/// <see cref="User"/> and a <see cref="MemoryLimitBytes"/>.
/// </summary>
public sealed record ContainerSpec(string Image)
{
    /// <summary>The container's name; null lets the engine pick one. Must be unique on the engine.</summary>
    public string? Name { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Replaces the image's CMD; null keeps it.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's ENTRYPOINT; null keeps it.</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Container ports to expose and publish on the host.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>"uid", "uid:gid" or a user name known in the image; null keeps the image's USER.</summary>
    public string? User { get; init; }

    public bool ReadOnlyRootFilesystem { get; init; }

    /// <summary>Host files or directories mounted read-only: host path to container path (e.g. a secret file; its content never enters the container's config).</summary>
    public IReadOnlyDictionary<string, string> ReadOnlyBindMounts { get; init; } = new Dictionary<string, string>();

    /// <summary>In-memory file systems: container path to mount options, e.g. "/tmp" → "rw,noexec,nosuid,size=64m" ("" for defaults).</summary>
    public IReadOnlyDictionary<string, string> TmpfsMounts { get; init; } = new Dictionary<string, string>();

    /// <summary>Hard memory limit; the kernel kills the container's processes beyond it.</summary>
    public long? MemoryLimitBytes { get; init; }

    /// <summary>CPU limit in CPUs, e.g. 1.5.</summary>
    public double? Cpus { get; init; }

    /// <summary>Drops every Linux capability (cap-drop ALL); a service on a port above 1023 needs none.</summary>
    public bool DropAllCapabilities { get; init; }

    /// <summary>The no-new-privileges security option: setuid binaries cannot raise privileges.</summary>
    public bool NoNewPrivileges { get; init; }

    /// <summary>Replaces the image's HEALTHCHECK; null keeps it.</summary>
    public HealthcheckSpec? Healthcheck { get; init; }

    /// <summary>"bridge" (the engine's default), "host", "none" or a network's name.</summary>
    public string? NetworkMode { get; init; }
}
