using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serving.Server.Inference;

namespace Serving.Server.Http;

/// <summary>
/// Writes an inference response: JSON only, or (binary tensor extension) a JSON header followed by the raw bytes of
/// the outputs asked for as binary, with the header's length in Inference-Header-Content-Length.
/// </summary>
internal static class InferenceResponseWriter
{
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    // Roughly what one JSON number takes, to size the buffer once for typical responses.
    private const int BytesPerJsonValue = 14;

    public static Task WriteAsync(HttpResponse response, InferenceCall call)
    {
        var model = call.Model;
        var body = new PooledBufferWriter(256 + EstimateValues(call) * BytesPerJsonValue);
        try
        {
            using (var json = new Utf8JsonWriter(body, JsonBodies.WriterOptions with { SkipValidation = true }))
            {
                json.WriteStartObject();
                json.WriteString("model_name"u8, model.Name);
                json.WriteString("model_version"u8, model.Version);
                if (call.Id is not null) json.WriteString("id"u8, call.Id);
                json.WriteStartArray("outputs"u8);
                for (var i = 0; i < call.Outputs.Count; i++)
                {
                    var (outputIndex, buffer) = call.Outputs[i];
                    var spec = model.Outputs[outputIndex];
                    json.WriteStartObject();
                    json.WriteString("name"u8, spec.Name);
                    json.WriteString("datatype"u8, spec.Datatype);
                    json.WriteStartArray("shape"u8);
                    json.WriteNumberValue(call.Rows);
                    for (var d = 1; d < spec.Rank; d++) json.WriteNumberValue(spec.Shape[d]);
                    json.WriteEndArray();
                    if (call.BinaryOutputs[i])
                    {
                        json.WriteStartObject("parameters"u8);
                        json.WriteNumber("binary_data_size"u8, buffer.BinaryByteCount);
                        json.WriteEndObject();
                    }
                    else
                    {
                        json.WriteStartArray("data"u8);
                        buffer.WriteJsonValues(json);
                        json.WriteEndArray();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (call.AnyBinaryOutput)
            {
                response.Headers[HeaderLengthHeader] = body.WrittenCount.ToString(CultureInfo.InvariantCulture);
                for (var i = 0; i < call.Outputs.Count; i++)
                    if (call.BinaryOutputs[i]) call.Outputs[i].Buffer.WriteBinary(body);
                response.ContentType = "application/octet-stream";
            }
            else
            {
                response.ContentType = JsonBodies.ContentType;
            }

            return SendAsync(response, body);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static async Task SendAsync(HttpResponse response, PooledBufferWriter body)
    {
        using (body) await body.CopyToAsync(response);
    }

    private static int EstimateValues(InferenceCall call)
    {
        var values = 0;
        for (var i = 0; i < call.Outputs.Count; i++)
            if (!call.BinaryOutputs[i]) values += call.Outputs[i].Buffer.Length;
        return values;
    }
}
