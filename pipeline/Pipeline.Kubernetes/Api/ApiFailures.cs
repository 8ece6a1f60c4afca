using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Kubernetes.Api;

/// <summary>A non-success answer from KubernetesClient as the project's exception: the server's Status message and what to do about it.</summary>
internal static class ApiFailures
{
    public static KubernetesApiException From(k8s.Autorest.HttpOperationException failure, string what, string credentials)
    {
        var status = failure.Response?.StatusCode ?? 0;
        var body = failure.Response?.Content ?? "";
        string? reason = null;
        var message = body.Length > 300 ? body[..300] + "..." : body;
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } statusObject && statusObject["kind"]?.GetValue<string>() == "Status")
            {
                reason = statusObject["reason"]?.GetValue<string>();
                message = statusObject["message"]?.GetValue<string>() ?? message;
            }
        }
        catch (JsonException)
        {
            // Not a Status object (e.g. a proxy's HTML page): the raw text, shortened, is the best there is.
        }

        var hint = status switch
        {
            HttpStatusCode.Unauthorized => " Check the kubeconfig user's credentials (" + credentials + ").",
            HttpStatusCode.Forbidden => " The user lacks RBAC permission for this.",
            HttpStatusCode.NotFound => " Check the namespace exists and the cluster serves this kind.",
            HttpStatusCode.Conflict => " Another field manager owns these fields, or the object changed meanwhile; retry, or resolve the ownership.",
            HttpStatusCode.UnprocessableEntity =>  " The server refused the content as invalid for this cluster; fix what the message names.",
            _ => "",
        };
        return new KubernetesApiException($"Cannot {what}: {(int)status} {reason ?? status.ToString()}: {message}.{hint}", (int)status, reason);
    }

    /// <summary>
    /// The first line of KubernetesClient's message: it folds whole exception texts (with stack traces) into its own
    /// messages, e.g. for a failed exec plugin.
    /// </summary>
    public static string FirstLine(Exception e) => e.Message.Split('\n', 2)[0].TrimEnd();
}
