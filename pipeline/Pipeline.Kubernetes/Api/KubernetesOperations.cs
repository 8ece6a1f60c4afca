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
/// <remarks>
/// The library's server certificate check does not refuse a certificate the cluster CA signed for another name;
/// <see cref="ServerNameCheck"/>, the delegating handler given to its constructor, adds the name check kubectl makes.
/// </remarks>
internal sealed class KubernetesOperations : k8s.Kubernetes
{
    public KubernetesOperations(KubernetesClientConfiguration configuration)
        : this(configuration, new ServerNameCheck())
    {
    }

    private KubernetesOperations(KubernetesClientConfiguration configuration, ServerNameCheck serverNameCheck)
        : base(configuration, serverNameCheck) =>
        serverNameCheck.Install(configuration.SkipTlsVerify);

    public async Task<string> SendAsync(HttpMethod method, string pathAndQuery, string? body, string? contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseUri, pathAndQuery.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json") { CharSet = "utf-8" };
        }

        // As the library's generated operations do: HttpClientTimeout bounds each call (its HttpClient has none).
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(HttpClientTimeout);
        try
        {
            using var response = await SendRequestRaw(body ?? "", request, timeout.Token);
            return await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"no answer within {HttpClientTimeout.TotalSeconds:0} s", e);
        }
    }

    /// <summary>A GET whose answer is read as it arrives (KubernetesClient reads only headers before returning), for watches.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri, pathAndQuery.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await SendRequestRaw("", request, cancellationToken);
    }
}
