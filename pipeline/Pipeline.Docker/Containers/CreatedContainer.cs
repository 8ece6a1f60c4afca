namespace Pipeline.Docker;

/// <summary>A created (not yet started) container, and the engine's warnings, e.g. a memory limit the kernel cannot enforce.</summary>
public sealed record CreatedContainer(string Id, IReadOnlyList<string> Warnings);
