using Pipeline.Onnx.Protos;

namespace Pipeline.Onnx;

/// <summary>
/// Wraps a graph into a model: IR version, operator set imports, producer, metadata.
/// Defaults to IR version 8 and default-domain opset 17, the newest pair ONNX 1.12 tooling checks and every
/// ONNX Runtime release since 1.12 runs.
/// </summary>
public sealed class OnnxModelBuilder
{
    public const long DefaultIrVersion = 8;
    public const long DefaultOpsetVersion = 17;

    private readonly OnnxGraphBuilder _graph;
    private readonly ModelProto _model = new() { IrVersion = DefaultIrVersion };

    public OnnxModelBuilder(OnnxGraphBuilder graph)
    {
        _graph = graph;
        _model.SetOpsetImport("", DefaultOpsetVersion);
    }

    public OnnxModelBuilder WithIrVersion(long irVersion)
    {
        _model.IrVersion = irVersion;
        return this;
    }

    /// <summary>Imports (or changes the version of) an operator set; an empty domain is the default set.</summary>
    public OnnxModelBuilder WithOpsetImport(string domain, long version)
    {
        _model.SetOpsetImport(domain, version);
        return this;
    }

    public OnnxModelBuilder WithProducer(string name, string version)
    {
        _model.ProducerName = name;
        _model.ProducerVersion = version;
        return this;
    }

    public OnnxModelBuilder WithDomain(string domain)
    {
        _model.Domain = domain;
        return this;
    }

    public OnnxModelBuilder WithModelVersion(long version)
    {
        _model.ModelVersion = version;
        return this;
    }

    public OnnxModelBuilder WithDocString(string docString)
    {
        _model.DocString = docString;
        return this;
    }

    /// <summary>Adds a metadata_props entry; a repeated key is reported by <see cref="Build"/>.</summary>
    public OnnxModelBuilder WithMetadata(string key, string value)
    {
        _model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return this;
    }

    /// <summary>Returns a validated model; throws <see cref="OnnxModelValidationException"/> listing every problem found.</summary>
    public ModelProto Build()
    {
        var model = _model.Clone();
        model.Graph = _graph.ToProto();
        OnnxModelValidator.Validate(model);
        return model;
    }
}
