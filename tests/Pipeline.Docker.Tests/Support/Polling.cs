namespace Pipeline.Docker.Tests;

internal static class Polling
{
    /// <summary>GET <paramref name="url"/> until it answers 2xx (a server starting in a container), then returns the body.</summary>
    public static async Task<string> GetWhenUpAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return await response.Content.ReadAsStringAsync();
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"{url} did not answer 2xx within {timeout.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Inspects the container until <paramref name="done"/> holds; returns the last state seen.</summary>
    public static Task<ContainerDetails> InspectUntilAsync(
        DockerClient client, string container, Func<ContainerDetails, bool> done, TimeSpan timeout) =>
        UntilAsync(() => client.InspectContainerAsync(container, CancellationToken.None), done, timeout);

    /// <summary>Reads the logs until <paramref name="done"/> holds: the engine copies a running container's output asynchronously.</summary>
    public static Task<ContainerLogs> LogsUntilAsync(
        DockerClient client, string container, Func<ContainerLogs, bool> done, TimeSpan timeout) =>
        UntilAsync(() => client.GetLogsAsync(container, null, CancellationToken.None), done, timeout);

    private static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow >= deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }
}
