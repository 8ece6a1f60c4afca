using System.Net.Http.Headers;
using System.Text;
using k8s;

namespace Pipeline.Kubernetes.Api;

/// <summary>
/// KubernetesClient's own request pipeline for a JSON body on any REST path: its HttpClient, TLS trust, client
/// certificate and token provider (exec plugins, token files) apply, and a non-success answer is its
/// <see cref="k8s.Autorest.HttpOperationException"/>. The port passes whole JSON documents of several kinds,
/// which the generated typed operations would round-trip through their models; this sends them as they are.
/// </summary>
internal sealed class KubernetesOperations(KubernetesClientConfiguration configuration) : k8s.Kubernetes(configuration)
{
    public async Task<string> SendAsync(HttpMethod method, string pathAndQuery, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, pathAndQuery.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json") { CharSet = "utf-8" };
        }

        using var response = await SendRequestRaw(body ?? "", request, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
