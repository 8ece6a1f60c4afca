using Pipeline.Drift;

namespace Pipeline.Drift.Tests;

/// <summary>The one rule the server and the baseline use to turn a label output into a class bin.</summary>
public sealed class ClassLabelMapTests
{
    [Fact]
    public void Text_labels_map_by_name_and_numeric_labels_by_index_when_the_names_are_not_numbers()
    {
        var map = new ClassLabelMap(["T-shirt/top", "Trouser", "Pullover"]);
        Assert.Equal(1, map.IndexOf("Trouser"));
        Assert.Equal(2, map.IndexOf(2L));
        Assert.Equal(-1, map.IndexOf("Sneaker"));
        Assert.Equal(-1, map.IndexOf(3L));
    }

    [Fact]
    public void Numeric_labels_map_by_value_when_every_class_name_is_a_number()
    {
        var map = new ClassLabelMap(["3", "5", "7"]);
        Assert.Equal(1, map.IndexOf(5L));
        Assert.Equal(-1, map.IndexOf(1L));
        Assert.Equal(2, map.IndexOf("7"));
    }
}
