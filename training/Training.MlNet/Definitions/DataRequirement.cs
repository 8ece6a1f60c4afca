namespace Training.MlNet;

/// <summary>
/// A data file a model needs, shipped in a Debian package. Setup downloads the package and extracts it (nothing is
/// installed, so an R data package needs no R); <see cref="ModelDataFiles"/> then says where the file is.
/// </summary>
/// <param name="DebianPackage">The package that ships the file, e.g. <c>r-cran-palmerpenguins</c>.</param>
/// <param name="PathInPackage">The file's path inside the package, without a leading slash.</param>
public sealed record DataRequirement(string DebianPackage, string PathInPackage);
