namespace Training.MlNet;

/// <summary>Where Setup put the extracted Debian packages: one directory per package under <see cref="Root"/>.</summary>
public sealed record ModelDataFiles(string Root)
{
    /// <summary>
    /// The Fashion-MNIST IDX directory: the Debian package's unless the build says otherwise (--dataset-dir,
    /// FASHION_MNIST_DIR); that data is installed, not extracted under <see cref="Root"/>.
    /// </summary>
    public string FashionMnistDirectory { get; init; } = "/usr/share/datasets/fashion-mnist";

    /// <summary>The extracted file, or an error that says to run Setup.</summary>
    public string Resolve(DataRequirement requirement)
    {
        var path = Path.Combine(Root, requirement.DebianPackage, requirement.PathInPackage);
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"'{path}' from Debian package {requirement.DebianPackage} is missing. Run './build.sh Setup' to fetch and extract it.", path);
        return path;
    }
}
