namespace Pipeline.ModelRegistry.Tests;

public sealed class VersionIdsTests
{
    [Theory]
    [InlineData(12, "3F2A9C1D0E4B", "1.0.12+3f2a9c1")]
    [InlineData(3, "ab-12", "1.0.3+ab12")]
    [InlineData(7, null, "1.0.7")]
    [InlineData(7, "--", "1.0.7")]
    public void Generated_ids_are_semver_with_the_sequence_and_a_short_revision(long sequence, string? revision, string expected)
    {
        var id = VersionIds.Generate(sequence, revision);

        Assert.Equal(expected, id);
        VersionIds.Validate(id);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("1.0/2")]
    [InlineData("1.0 2")]
    public void Ids_that_cannot_be_file_names_are_refused(string id)
    {
        var error = Assert.Throws<ModelRegistryException>(() => VersionIds.Validate(id));

        Assert.Equal(ModelRegistryError.InvalidRequest, error.Error);
    }
}
