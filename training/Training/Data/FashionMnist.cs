namespace Training.Data;

/// <summary>The Fashion-MNIST training and test sets with the files they came from.</summary>
public sealed record FashionMnistData(DataSet Train, DataSet Test)
{
    /// <summary>All four input files (train images, train labels, test images, test labels).</summary>
    public IReadOnlyList<InputFileHash> Files => [.. Train.Sources, .. Test.Sources];
}

/// <summary>Loads Fashion-MNIST from a directory of IDX files (the layout of the Debian package dataset-fashion-mnist).</summary>
public static class FashionMnist
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";
    public const string DirectoryEnvironmentVariable = "FASHION_MNIST_DIR";
    public const string SetupHint = "run ./build.sh Setup (installs dataset-fashion-mnist) or set FASHION_MNIST_DIR to a directory holding the IDX files";

    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The data directory: <paramref name="overrideDirectory"/> (e.g. the FASHION_MNIST_DIR value) when set, else the default.</summary>
    public static string ResolveDirectory(string? overrideDirectory) =>
        string.IsNullOrWhiteSpace(overrideDirectory) ? DefaultDirectory : overrideDirectory;

    public static async Task<FashionMnistData> LoadAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Fashion-MNIST directory {directory} does not exist; {SetupHint}.");
        var train = LoadPairAsync(directory, "train", cancellationToken);
        var test = LoadPairAsync(directory, "t10k", cancellationToken);
        return new FashionMnistData(await train, await test);
    }

    private static async Task<DataSet> LoadPairAsync(string directory, string prefix, CancellationToken cancellationToken)
    {
        var imagesPath = Find(directory, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Find(directory, $"{prefix}-labels-idx1-ubyte");
        var images = await IdxReader.ReadImagesAsync(imagesPath, cancellationToken);
        var labels = await IdxReader.ReadLabelsAsync(labelsPath, cancellationToken);
        return ImageDataSet.Create(images, labels, ClassNames);
    }

    /// <summary>The gzipped file if present, else the uncompressed one.</summary>
    private static string Find(string directory, string baseName)
    {
        foreach (var name in new[] { baseName + ".gz", baseName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"Fashion-MNIST file {baseName}(.gz) not found in {directory}; {SetupHint}.", Path.Combine(directory, baseName + ".gz"));
    }
}

/// <summary>Joins an IDX image file and its label file into a <see cref="DataSet"/>.</summary>
public static class ImageDataSet
{
    public static DataSet Create(IdxImages images, IdxLabels labels, IReadOnlyList<string> classNames)
    {
        var imagesName = Path.GetFileName(images.Source.Path);
        var labelsName = Path.GetFileName(labels.Source.Path);
        if (images.Count != labels.Count)
            throw new DataSetFormatException($"{imagesName} holds {images.Count} images but {labelsName} holds {labels.Count} labels; the files do not belong together.");
        var classes = new int[labels.Count];
        for (var i = 0; i < classes.Length; i++)
        {
            classes[i] = labels.Labels[i];
            if (classes[i] >= classNames.Count)
                throw new DataSetFormatException($"{labelsName}: label {classes[i]} of sample {i} is outside 0..{classNames.Count - 1}.");
        }
        var features = GC.AllocateUninitializedArray<float>(images.Pixels.Length);
        System.Numerics.Tensors.TensorPrimitives.ConvertTruncating<byte, float>(images.Pixels, features);
        return new DataSet(features, classes, images.PixelsPerImage, classNames, [images.Source, labels.Source]);
    }
}
