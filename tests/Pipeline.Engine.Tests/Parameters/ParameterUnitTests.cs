namespace Pipeline.Engine.Tests.Parameters;

public sealed class ParameterUnitTests
{
    [Theory]
    [InlineData("MinAccuracy", "min-accuracy", "MIN_ACCURACY")]
    [InlineData("Seed", "seed", "SEED")]
    [InlineData("OnnxURLPath", "onnx-url-path", "ONNX_URL_PATH")]
    [InlineData("_registryPassword", "registry-password", "REGISTRY_PASSWORD")]
    [InlineData("Top5Accuracy", "top5-accuracy", "TOP5_ACCURACY")]
    public void Names_derive_from_the_member_name(string member, string kebab, string snake)
    {
        Assert.Equal(kebab, ParameterNaming.ToKebabCase(member));
        Assert.Equal(snake, ParameterNaming.ToUpperSnakeCase(member));
    }

    [Theory]
    [InlineData(typeof(int), "int")]
    [InlineData(typeof(int?), "int")]
    [InlineData(typeof(string[]), "string[]")]
    [InlineData(typeof(AbsolutePath), "path")]
    [InlineData(typeof(RunMode[]), "RunMode[]")]
    public void Supported_types_have_short_names(Type type, string name)
    {
        Assert.Equal(name, ParameterType.TryCreate(type)!.DisplayName);
    }

    [Theory]
    [InlineData(typeof(List<string>))]
    [InlineData(typeof(int?[]))]
    [InlineData(typeof(decimal))]
    [InlineData(typeof(string[,]))]
    public void Unsupported_types_are_rejected(Type type)
    {
        Assert.Null(ParameterType.TryCreate(type));
    }

    [Theory]
    [InlineData("1.5e3", 1500.0)]
    [InlineData("-0.25", -0.25)]
    public void Doubles_parse_with_the_invariant_culture(string text, double expected)
    {
        var parser = new ValueParser(AbsolutePath.Create(Path.GetTempPath()));

        Assert.True(parser.TryParseElement(typeof(double), text, out var value, out _));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("yes", null)]
    public void Booleans_accept_true_false_one_zero(string text, bool? expected)
    {
        Assert.Equal(expected, ValueParser.ParseBool(text));
    }

    [Fact]
    public void Paths_resolve_against_the_root_unless_absolute()
    {
        var root = AbsolutePath.Create(Path.Combine(Path.GetTempPath(), "root"));
        var parser = new ValueParser(root);

        Assert.True(parser.TryParseElement(typeof(AbsolutePath), "a/../b", out var relative, out _));
        Assert.True(parser.TryParseElement(typeof(AbsolutePath), "/opt/models", out var absolute, out _));

        Assert.Equal(root / "b", relative);
        Assert.Equal(AbsolutePath.Create("/opt/models"), absolute);
    }

    [Fact]
    public void Absolute_path_operators_normalize_and_refuse_rooted_segments()
    {
        var root = AbsolutePath.Create("/work/repo/");

        Assert.Equal("/work/repo/artifacts/model.onnx", (root / "artifacts" / "x/../model.onnx").ToString());
        Assert.Equal("artifacts/model.onnx", (root / "artifacts/model.onnx").RelativeTo(root));
        Assert.Equal("repo", root.Name);
        Assert.Equal(AbsolutePath.Create("/work"), root.Parent);
        Assert.True((root / "a").IsUnder(root));
        Assert.False(AbsolutePath.Create("/work/repository").IsUnder(root));
        Assert.Throws<ArgumentException>(() => root / "/etc");
        Assert.Throws<ArgumentException>(() => AbsolutePath.Create("relative/path"));
    }
}
