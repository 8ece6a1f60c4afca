using System.Text.RegularExpressions;
using Pipeline.Stages;

namespace Pipeline.Stages.Tests;

/// <summary>Image tags name the model's bytes, so two registries issuing the same version never share a tag.</summary>
public sealed class ImageTagsTests
{
    private static readonly string ShaA = new('a', 64);
    private static readonly string ShaB = "b" + new string('0', 63);

    [Fact]
    public void The_same_version_of_two_different_models_gets_two_tags()
    {
        var first = ImageTags.ForModel("1.0.7+ef8780e", ShaA);
        var second = ImageTags.ForModel("1.0.7+ef8780e", ShaB);

        Assert.NotEqual(first, second);
        Assert.Equal("1.0.7-ef8780e-aaaaaaaaaaaa", first);
        Assert.NotEqual(ImageTags.FromRevision("0123456789abcdef", ShaA), ImageTags.FromRevision("0123456789abcdef", ShaB));
    }

    [Fact]
    public void A_long_version_still_makes_a_valid_tag_that_keeps_the_model_digest()
    {
        var tag = ImageTags.ForModel(new string('9', 200), ShaB);

        Assert.Matches(new Regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"), tag);
        Assert.EndsWith("-b00000000000", tag);
    }

    [Fact]
    public void A_SHA_256_that_is_not_one_is_refused_with_what_is_expected()
    {
        var error = Assert.Throws<ArgumentException>(() => ImageTags.ForModel("1.0.0", "not-a-digest"));

        Assert.Contains("lower-case hexadecimal SHA-256", error.Message);
    }

    [Fact]
    public void A_digest_reference_keeps_the_registry_port_and_drops_the_tag()
    {
        var image = new ContainerImage("127.0.0.1:5000/fashion-mnist-serving:1.0.7-ef8780e-aaaaaaaaaaaa", [], "sha256:1", "base", 1, "sha256:" + ShaB, 0, 0, 0);

        Assert.Equal("127.0.0.1:5000/fashion-mnist-serving@sha256:" + ShaB, image.DigestReference());
        Assert.Contains("run ./build.sh Containerize", Assert.Throws<InvalidOperationException>(() => (image with { PushedDigest = null }).DigestReference()).Message);
    }
}
