using Pipeline.GitHubActions.Yaml;
using YamlDotNet.RepresentationModel;

namespace Pipeline.GitHubActions.Tests;

/// <summary>Every string must read back as the same string with an independent YAML reader, and read as a string by any reader.</summary>
public sealed class YamlDocumentWriterTests
{
    public static TheoryData<string> SpecialStrings => new()
    {
        "", " leading", "trailing ", "true", "False", "yes", "NO", "on", "Off", "y", "n", "null", "~", "Null",
        "7", "-3", "+4", "0.5", ".5", "1e3", "1_000", "0x1F", "0o17", "017", "08", ".inf", "-.Inf", ".nan", "1:20", "2026-11-22",
        "10.0", "1.30.0", "key: value", "a #comment", "ends:", "*alias", "&anchor", "!tag", "!artifacts/**", "**/*.csproj",
        "@at", "`tick", "%percent", "|pipe", ">fold", "'single'", "\"double\"", "- dash", "? question", "[list]", "{map}",
        ",comma", "#hash", "${{ secrets.X }}", "it's", "it's: quoted", "tab\there", "bell\u0007", "line\r\nbreak", "nbsp\u00a0ok",
        "unicode → arrow", "multi\nline\n", "no final break\nline", "two breaks\n\n", " indented first\nline\n", "\nleading break",
        "~/.nuget/packages", "a: b\nc: d\n", "trailing space \nline\n", "script\n  indented\nback\n", "cr\ronly", "line\u2028separator",
    };

    [Theory]
    [MemberData(nameof(SpecialStrings))]
    public void A_string_value_reads_back_unchanged(string value)
    {
        var yaml = YamlDocumentWriter.Write(new YamlMappingBuilder().AddAlways("key", YamlScalars.Text(value)).Build());

        var read = (YamlScalarNode)ReadMapping(yaml).Children[new YamlScalarNode("key")];
        Assert.Equal(value, read.Value);
        // YamlDotNet's reader keeps the text of a plain "true" as "true"; any reader takes only a plain scalar for another type.
        if (YamlScalars.ReadsAsOtherType(value))
            Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, read.Style);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("007")]
    [InlineData("08")]
    [InlineData("1e3")]
    [InlineData("1.5")]
    [InlineData("null")]
    [InlineData("2026-11-22")]
    [InlineData("")]
    public void Strings_other_readers_would_take_for_booleans_numbers_dates_or_null_are_quoted(string value)
    {
        var yaml = YamlDocumentWriter.Write(new YamlMappingBuilder().AddAlways("key", YamlScalars.Text(value)).Build());

        Assert.Equal($"key: '{value}'\n", yaml);
    }

    [Fact]
    public void Plain_strings_stay_plain_and_numbers_and_booleans_are_raw()
    {
        var root = new YamlMappingBuilder()
            .Add("run", "./build.sh Test --skip Train")
            .Add("expression", "github.event_name != 'pull_request'")
            .Add("key", "nuget-${{ runner.os }}-${{ hashFiles('**/*.csproj', 'global.json') }}")
            .Add("timeout-minutes", YamlScalars.Number(30))
            .Add("cancel-in-progress", YamlScalars.Boolean(false))
            .Build();

        Assert.Equal(
            "run: ./build.sh Test --skip Train\nexpression: github.event_name != 'pull_request'\n"
            + "key: nuget-${{ runner.os }}-${{ hashFiles('**/*.csproj', 'global.json') }}\ntimeout-minutes: 30\ncancel-in-progress: false\n",
            YamlDocumentWriter.Write(root));
    }

    [Fact]
    public void Multi_line_text_is_a_literal_block_indented_under_its_key()
    {
        var root = new YamlMappingBuilder().Add("steps", new YamlSequenceNode(
            new YamlMappingBuilder().Add("name", "Build").Add("run", "set -e\nif true; then\n  ./build.sh Test\nfi\n").Build())).Build();

        Assert.Equal("steps:\n  - name: Build\n    run: |\n      set -e\n      if true; then\n        ./build.sh Test\n      fi\n", YamlDocumentWriter.Write(root));
    }

    [Fact]
    public void Keys_like_on_stay_plain_as_GitHub_documents_them_and_a_comment_follows_its_value()
    {
        var root = new YamlMappingBuilder()
            .AddAlways("on", new YamlMappingBuilder().AddAlways("workflow_dispatch", new YamlMappingNode()).Build())
            .Add("uses", "actions/checkout@abc")
            .Build();

        var yaml = YamlDocumentWriter.Write(root, ["generated", "by a test"], new Dictionary<string, string> { ["actions/checkout@abc"] = "v7.0.1" });

        Assert.Equal("# generated\n# by a test\n\non:\n  workflow_dispatch: {}\nuses: actions/checkout@abc # v7.0.1\n", yaml);
        Assert.Equal("actions/checkout@abc", ((YamlScalarNode)ReadMapping(yaml).Children[new YamlScalarNode("uses")]).Value);
    }

    [Fact]
    public void Entries_of_the_spaced_mapping_are_separated_by_blank_lines_and_nothing_inside_them_is()
    {
        var job = new YamlMappingBuilder().Add("runs-on", "x").Add("steps", new YamlSequenceNode(
            new YamlMappingBuilder().Add("run", "a\n\nb\n").Build(), new YamlMappingBuilder().Add("run", "c").Build())).Build();
        var root = new YamlMappingBuilder()
            .Add("name", "CI")
            .AddAlways("jobs", new YamlMappingBuilder().AddAlways("one", job).AddAlways("two", new YamlMappingBuilder().Add("runs-on", "z").Build()).Build())
            .Add("env", new YamlMappingBuilder().Add("A", "1").Add("B", "2").Build())
            .Build();

        var yaml = YamlDocumentWriter.Write(root, spacedMapping: "jobs");

        Assert.Equal(
            "name: CI\n\njobs:\n  one:\n    runs-on: x\n    steps:\n      - run: |\n          a\n\n          b\n      - run: c\n\n  two:\n    runs-on: z\n\nenv:\n  A: '1'\n  B: '2'\n",
            yaml);
        Assert.Equal("a\n\nb\n", ((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)ReadMapping(yaml)["jobs"]["one"]["steps"])[0])["run"]).Value);
    }

    [Fact]
    public void A_duplicate_key_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => new YamlMappingBuilder().Add("a", "1").Add("a", "2"));

    [Fact]
    public void Empty_optional_values_are_left_out()
    {
        var root = new YamlMappingBuilder().Add("a", (string?)null).Add("b", new YamlSequenceNode()).Add("c", new YamlMappingNode()).Add("d", "x").Build();

        Assert.Equal("d: x\n", YamlDocumentWriter.Write(root));
    }

    private static YamlMappingNode ReadMapping(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
