using System.Collections.ObjectModel;
using Pipeline.OnnxRuntime.Native;

namespace Pipeline.OnnxRuntime;

/// <summary>Reads input/output descriptions and model metadata once, when a session is opened.</summary>
internal static class SessionMetadataReader
{
    public static NodeMetadata[] ReadNodes(OrtApi api, nint session, bool inputs)
    {
        var nodes = new NodeMetadata[api.SessionGetCount(inputs, session)];
        for (var i = 0; i < nodes.Length; i++)
        {
            var name = api.SessionGetName(inputs, session, i);
            var typeInfo = api.SessionGetTypeInfo(inputs, session, i);
            try
            {
                nodes[i] = Describe(api, name, typeInfo);
            }
            finally
            {
                api.Release(OrtSlot.ReleaseTypeInfo, typeInfo);
            }
        }

        return nodes;
    }

    public static ModelMetadata ReadModel(OrtApi api, nint session)
    {
        var metadata = api.SessionGetModelMetadata(session);
        try
        {
            var custom = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in api.ModelMetadataGetCustomMetadataMapKeys(metadata))
            {
                custom[key] = api.ModelMetadataLookupCustomMetadataMap(metadata, key) ?? string.Empty;
            }

            return new ModelMetadata(
                ProducerName: api.ModelMetadataString(OrtSlot.ModelMetadataGetProducerName, metadata),
                GraphName: api.ModelMetadataString(OrtSlot.ModelMetadataGetGraphName, metadata),
                Domain: api.ModelMetadataString(OrtSlot.ModelMetadataGetDomain, metadata),
                Description: api.ModelMetadataString(OrtSlot.ModelMetadataGetDescription, metadata),
                GraphDescription: api.ModelMetadataString(OrtSlot.ModelMetadataGetGraphDescription, metadata),
                Version: api.ModelMetadataGetVersion(metadata),
                CustomMetadata: new ReadOnlyDictionary<string, string>(custom));
        }
        finally
        {
            api.Release(OrtSlot.ReleaseModelMetadata, metadata);
        }
    }

    private static NodeMetadata Describe(OrtApi api, string name, nint typeInfo)
    {
        var kind = api.GetOnnxTypeFromTypeInfo(typeInfo);
        // The tensor info belongs to typeInfo: it is read here and never released on its own.
        var tensorInfo = kind == OnnxValueKind.Tensor ? api.CastTypeInfoToTensorInfo(typeInfo) : 0;
        if (tensorInfo == 0)
        {
            return new NodeMetadata(name, kind, TensorElementType.Undefined, [], []);
        }

        var shape = api.GetDimensions(tensorInfo);
        return new NodeMetadata(
            name,
            kind,
            api.GetTensorElementType(tensorInfo),
            Array.AsReadOnly(shape),
            Array.AsReadOnly(api.GetSymbolicDimensions(tensorInfo, shape.Length)));
    }
}
