using Google.Protobuf.Collections;
using Serving.Protocol.Inference;

namespace Serving.Server.Grpc;

/// <summary>Reads the protocol's InferParameter maps, refusing a parameter of the wrong kind rather than ignoring it.</summary>
internal static class GrpcParameters
{
    /// <returns>The bool_param value, or null when the parameter is absent.</returns>
    public static bool? ReadBool(MapField<string, InferParameter> parameters, string name, string what)
    {
        if (!parameters.TryGetValue(name, out var parameter)) return null;
        if (parameter.ParameterChoiceCase == InferParameter.ParameterChoiceOneofCase.BoolParam) return parameter.BoolParam;
        throw ServingException.BadRequest($"{what} must be true or false (bool_param); found {Describe(parameter.ParameterChoiceCase)}.");
    }

    private static string Describe(InferParameter.ParameterChoiceOneofCase choice) => choice switch
    {
        InferParameter.ParameterChoiceOneofCase.Int64Param => "an int64_param",
        InferParameter.ParameterChoiceOneofCase.StringParam => "a string_param",
        _ => "no value",
    };
}
