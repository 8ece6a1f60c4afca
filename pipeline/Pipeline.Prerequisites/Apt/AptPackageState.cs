namespace Pipeline.Prerequisites;

/// <summary>A Debian package as dpkg knows it; <see cref="Version"/> is empty when it is not installed.</summary>
public sealed record AptPackageState(string Package, bool IsInstalled, string Version);
