using System.Security.Cryptography;
using Training.Data;
using Training.Tests.Support;

namespace Training.Tests.Data;

[Collection(FashionMnistCollection.Name)]
public sealed class FashionMnistTests(FashionMnistFixture fixture)
{
    [Fact]
    public async Task Loads_the_official_sizes_classes_and_input_hashes()
    {
        var data = await fixture.LoadAsync();

        Assert.Equal((60_000, 784), (data.Train.Count, data.Train.FeatureCount));
        Assert.Equal((10_000, 784), (data.Test.Count, data.Test.FeatureCount));
        Assert.Equal(Enumerable.Repeat(6000, 10), data.Train.ClassCounts());
        Assert.Equal("Ankle boot", data.Train.ClassNames[9]);
        Assert.InRange(data.Train.Features.ToArray().Max(), 250f, 255f);
        Assert.Equal(4, data.Files.Count);
        foreach (var file in data.Files)
        {
            var bytes = await File.ReadAllBytesAsync(file.Path);
            Assert.Equal(bytes.Length, file.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        }
    }

    [Fact]
    public async Task Missing_directory_tells_how_to_install_the_data()
    {
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => FashionMnist.LoadAsync("/nonexistent/fashion"));
        Assert.Contains("./build.sh Setup", error.Message);
    }

    [Fact]
    public void Environment_override_wins_over_the_default_directory()
    {
        Assert.Equal("/elsewhere", FashionMnist.ResolveDirectory("/elsewhere"));
        Assert.Equal(FashionMnist.DefaultDirectory, FashionMnist.ResolveDirectory(null));
        Assert.Equal(FashionMnist.DefaultDirectory, FashionMnist.ResolveDirectory(" "));
    }
}
