using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Engine;

/// <summary>
/// --plan-json: a stable, machine-readable plan. Schema (version 1): <c>{ schemaVersion, build, invoked[], targets[{ name,
/// description, dependsOn[], predecessors[], action, reason, invoked, incremental, produces[], consumes[{target,
/// patterns[]}] }], parameters[{ name, option, environmentVariable, type, secret, value, source }] }</c>. Secret values
/// are "*****"; values are strings (arrays of strings for array parameters) or null when unset.
/// </summary>
internal static class PlanJsonWriter
{
    public const int SchemaVersion = 1;

    public static string Write(ExecutionPlan plan, IReadOnlyList<PlanPreview> previews, IReadOnlyList<ResolvedParameter> parameters, SecretMasker masker)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteString("build", plan.Graph.BuildType.Name);
            WriteStrings(json, "invoked", plan.Invoked);
            json.WriteStartArray("targets");
            foreach (var preview in previews)
            {
                WriteTarget(json, preview, masker);
            }

            json.WriteEndArray();
            json.WriteStartArray("parameters");
            foreach (var parameter in parameters)
            {
                WriteParameter(json, parameter, masker);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTarget(Utf8JsonWriter json, PlanPreview preview, SecretMasker masker)
    {
        var target = preview.Planned.Target;
        json.WriteStartObject();
        json.WriteString("name", target.Name);
        json.WriteString("description", target.Description);
        WriteStrings(json, "dependsOn", target.DependsOn);
        WriteStrings(json, "predecessors", preview.Planned.Predecessors);
        json.WriteString("action", preview.Action.ToString());
        json.WriteString("reason", preview.Reason is null ? null : masker.Apply(preview.Reason));
        json.WriteBoolean("invoked", preview.Planned.IsInvoked);
        json.WriteBoolean("incremental", target.IsIncremental);
        WriteStrings(json, "produces", target.Produces);
        json.WriteStartArray("consumes");
        foreach (var consumed in target.Consumes)
        {
            json.WriteStartObject();
            json.WriteString("target", consumed.Target);
            WriteStrings(json, "patterns", consumed.Patterns);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteParameter(Utf8JsonWriter json, ResolvedParameter parameter, SecretMasker masker)
    {
        var descriptor = parameter.Descriptor;
        json.WriteStartObject();
        json.WriteString("name", descriptor.Name);
        json.WriteString("option", descriptor.Option);
        json.WriteString("environmentVariable", descriptor.EnvironmentVariable);
        json.WriteString("type", descriptor.TypeName);
        json.WriteBoolean("secret", descriptor.IsSecret);
        json.WritePropertyName("value");
        if (parameter.Value is null)
        {
            json.WriteNullValue();
        }
        else if (descriptor.IsSecret)
        {
            json.WriteStringValue(SecretMasker.Mask);
        }
        else if (descriptor.IsArray)
        {
            json.WriteStartArray();
            foreach (var element in ValueFormatter.Elements(parameter.Value))
            {
                json.WriteStringValue(masker.Apply(element));
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteStringValue(masker.Apply(ValueFormatter.Format(parameter.Value)));
        }

        json.WriteString("source", parameter.Source.ToString());
        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
