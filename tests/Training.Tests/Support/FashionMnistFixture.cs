using Training.Data;

namespace Training.Tests.Support;

/// <summary>
/// The real Fashion-MNIST files, loaded once for the tests that need them. Missing files FAIL those tests with the
/// setup instruction rather than skipping them.
/// </summary>
public sealed class FashionMnistFixture
{
    private readonly Lazy<Task<FashionMnistData>> _data;

    public FashionMnistFixture()
    {
        Directory = FashionMnist.ResolveDirectory(Environment.GetEnvironmentVariable(FashionMnist.DirectoryEnvironmentVariable));
        _data = new Lazy<Task<FashionMnistData>>(() => FashionMnist.LoadAsync(Directory));
    }

    public string Directory { get; }

    public async Task<FashionMnistData> LoadAsync()
    {
        if (!System.IO.Directory.Exists(Directory))
            Assert.Fail($"Fashion-MNIST is not installed at {Directory}: {FashionMnist.SetupHint}.");
        return await _data.Value;
    }
}

[CollectionDefinition(Name)]
public sealed class FashionMnistCollection : ICollectionFixture<FashionMnistFixture>
{
    public const string Name = "Fashion-MNIST";
}
