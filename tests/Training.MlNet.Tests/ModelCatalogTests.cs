using Training.MlNet.Models;

namespace Training.MlNet.Tests;

/// <summary>Discovery of the model definitions and the errors for unknown and duplicate names.</summary>
public sealed class ModelCatalogTests
{
    [Fact]
    public void Discovers_every_definition_in_the_assembly()
    {
        var catalog = ModelCatalog.Discover();

        Assert.Equal(["fashion-mnist", "penguins"], catalog.Names);
        Assert.IsType<PenguinsModel>(catalog.Get("penguins"));
        Assert.True(catalog.Get(ModelCatalog.DefaultModel).IncludesProjectMlp);
    }

    [Fact]
    public void An_unknown_name_is_an_error_that_lists_the_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelCatalog.Discover().Get("iris"));

        Assert.Contains("'iris'", error.Message);
        Assert.Contains("fashion-mnist, penguins", error.Message);
    }

    [Fact]
    public void Two_definitions_with_the_same_name_are_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ModelCatalog([new PenguinsModel(), new PenguinsModel()]));

        Assert.Contains("'penguins'", error.Message);
    }

    [Fact]
    public void Candidate_names_are_unique_within_each_definition()
    {
        foreach (var definition in ModelCatalog.Discover().All)
            Assert.Equal(definition.Candidates.Count, definition.Candidates.Select(c => c.Name).Distinct().Count());
    }
}
