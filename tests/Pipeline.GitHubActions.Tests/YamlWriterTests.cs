using Pipeline.GitHubActions.Yaml;
using YamlDotNet.RepresentationModel;
using YamlNode = Pipeline.GitHubActions.Yaml.YamlNode;
using YamlScalar = Pipeline.GitHubActions.Yaml.YamlScalar;
using YamlSequence = Pipeline.GitHubActions.Yaml.YamlSequence;
using YamlMapping = Pipeline.GitHubActions.Yaml.YamlMapping;

namespace Pipeline.GitHubActions.Tests;

/// <summary>Every string must read back as the same string with an independent YAML reader (YamlDotNet).</summary>
public sealed class YamlWriterTests
{
    public static TheoryData<string> SpecialStrings => new()
    {
        "", " leading", "trailing ", "true", "False", "yes", "NO", "on", "Off", "y", "n", "null", "~", "Null",
        "7", "-3", "+4", "0.5", ".5", "1e3", "1_000", "0x1F", "0o17", "017", ".inf", "-.Inf", ".nan", "1:20", "2026-11-22",
        "10.0", "1.30.0", "key: value", "a #comment", "ends:", "*alias", "&anchor", "!tag", "!artifacts/**", "**/*.csproj",
        "@at", "`tick", "%percent", "|pipe", ">fold", "'single'", "\"double\"", "- dash", "? question", "[list]", "{map}",
        ",comma", "#hash", "${{ secrets.X }}", "it's", "tab\there", "bell\u0007", "line\r\nbreak", "nbsp\u00a0ok",
        "unicode → arrow", "multi\nline\n", "no final break\nline", "two breaks\n\n", " indented first\nline\n", "\nleading break",
        "~/.nuget/packages", "a: b\nc: d\n",
    };

    [Theory]
    [MemberData(nameof(SpecialStrings))]
    public void A_string_value_reads_back_unchanged(string value)
    {
        var yaml = YamlWriter.Write(new YamlMapping([KeyValuePair.Create("key", (YamlNode)YamlScalar.Text(value))]));

        var read = ReadMapping(yaml);
        Assert.Equal(value, ((YamlScalarNode)read.Children[new YamlScalarNode("key")]).Value);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("007")]
    [InlineData("1.5")]
    [InlineData("null")]
    [InlineData("")]
    public void Strings_other_readers_would_take_for_booleans_numbers_or_null_are_quoted(string value)
    {
        var yaml = YamlWriter.Write(new YamlMapping([KeyValuePair.Create("key", (YamlNode)YamlScalar.Text(value))]));

        Assert.Equal($"key: '{value}'\n", yaml);
    }

    [Fact]
    public void Plain_strings_stay_plain_and_numbers_and_booleans_are_raw()
    {
        var root = new YamlMappingBuilder()
            .Add("run", "./build.sh Test --skip Train")
            .Add("expression", "github.event_name != 'pull_request'")
            .Add("timeout-minutes", YamlScalar.Number(30))
            .Add("cancel-in-progress", YamlScalar.Boolean(false))
            .Build();

        Assert.Equal(
            "run: ./build.sh Test --skip Train\nexpression: github.event_name != 'pull_request'\ntimeout-minutes: 30\ncancel-in-progress: false\n",
            YamlWriter.Write(root));
    }

    [Fact]
    public void Multi_line_text_is_a_literal_block_indented_under_its_key()
    {
        var root = new YamlMapping([KeyValuePair.Create("steps", (YamlNode)new YamlSequence(
        [
            new YamlMappingBuilder().Add("name", "Build").Add("run", "set -e\n./build.sh Test\n").Build(),
        ]))]);

        Assert.Equal("steps:\n  - name: Build\n    run: |\n      set -e\n      ./build.sh Test\n", YamlWriter.Write(root));
    }

    [Fact]
    public void Keys_like_on_stay_plain_as_GitHub_documents_them_and_a_comment_follows_its_value()
    {
        var root = new YamlMappingBuilder()
            .AddAlways("on", new YamlMappingBuilder().AddAlways("workflow_dispatch", new YamlMapping([])).Build())
            .Add("uses", YamlScalar.Text("actions/checkout@abc", "v7.0.1"))
            .Build();

        var yaml = YamlWriter.Write(root, ["generated", ""]);

        Assert.Equal("# generated\n#\n\non:\n  workflow_dispatch: {}\nuses: actions/checkout@abc # v7.0.1\n", yaml);
        Assert.Equal("actions/checkout@abc", ((YamlScalarNode)ReadMapping(yaml).Children[new YamlScalarNode("uses")]).Value);
    }

    [Fact]
    public void A_duplicate_key_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new YamlMappingBuilder().Add("a", "1").Add("a", "2"));

    [Fact]
    public void Empty_optional_values_are_left_out()
    {
        var root = new YamlMappingBuilder().Add("a", (string?)null).Add("b", new YamlSequence([])).Add("c", "x").Build();

        Assert.Equal("c: x\n", YamlWriter.Write(root));
    }

    private static YamlMappingNode ReadMapping(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
