namespace Serving.Server.Hosting;

/// <summary>
/// `Serving.Server --probe [url]`: one GET, exit 0 on 200, 1 otherwise. The container's HEALTHCHECK runs it,
/// since the image carries no curl or wget (less to patch, less to exploit).
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--probe";
    public const string DefaultUrl = "http://127.0.0.1:8080/v2/health/ready";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Flag;

    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var url = args.Length > 1 ? args[1] : DefaultUrl;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await http.GetAsync(url);
            if (response.IsSuccessStatusCode) return ServingProgram.ExitOk;
            await error.WriteLineAsync($"{url} answered {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await error.WriteLineAsync($"{url}: {e.Message}");
        }
        return ServingProgram.ExitFailed;
    }
}
