using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Serving.Server.Hosting;
using Serving.Server.Model;

namespace Serving.Server.Http;

/// <summary>The small fixed JSON bodies: health answers and server and model metadata.</summary>
internal static class JsonBodies
{
    public const string ContentType = "application/json";

    /// <summary>
    /// Escapes only what JSON requires, so messages read as written (an apostrophe stays an apostrophe). The bodies
    /// are served as application/json, never embedded in HTML, which is what the default escaping guards against.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a constant body without an await: it is the cheapest answer the server can give.</summary>
    public static Task WriteConstant(HttpResponse response, int status, ReadOnlySpan<byte> body)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.ContentLength = body.Length;
        // Kestrel sends what is in the pipe when the request delegate completes; no flush needed here.
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
    }

    public static Task WriteServerMetadata(HttpResponse response, string name, string version) =>
        Write(response, json =>
        {
            json.WriteString("name"u8, name);
            json.WriteString("version"u8, version);
            json.WriteStartArray("extensions"u8);
            foreach (var extension in ServerIdentity.Extensions) json.WriteStringValue(extension);
            json.WriteEndArray();
        });

    public static Task WriteModelMetadata(HttpResponse response, ServedModel model) =>
        Write(response, json =>
        {
            json.WriteString("name"u8, model.Name);
            json.WriteStartArray("versions"u8);
            json.WriteStringValue(model.Version);
            json.WriteEndArray();
            json.WriteString("platform"u8, ServedModel.Platform);
            WriteTensors(json, "inputs"u8, model.Inputs);
            WriteTensors(json, "outputs"u8, model.Outputs);
        });

    public static Task WriteModelReady(HttpResponse response, string name, bool ready)
    {
        response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return Write(response, json =>
        {
            json.WriteString("name"u8, name);
            json.WriteBoolean("ready"u8, ready);
        });
    }

    private static void WriteTensors(Utf8JsonWriter json, ReadOnlySpan<byte> property, IReadOnlyList<TensorSpec> specs)
    {
        json.WriteStartArray(property);
        foreach (var spec in specs)
        {
            json.WriteStartObject();
            json.WriteString("name"u8, spec.Name);
            json.WriteString("datatype"u8, spec.Datatype);
            json.WriteStartArray("shape"u8);
            foreach (var dim in spec.Shape) json.WriteNumberValue(dim);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static async Task Write(HttpResponse response, Action<Utf8JsonWriter> writeProperties)
    {
        using var body = new PooledBufferWriter(512);
        using (var json = new Utf8JsonWriter(body, WriterOptions))
        {
            json.WriteStartObject();
            writeProperties(json);
            json.WriteEndObject();
        }

        response.ContentType = ContentType;
        await body.CopyToAsync(response);
    }
}
