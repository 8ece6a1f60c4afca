namespace Serving.Server.Security;

/// <summary>
/// Re-reads the API key file every <see cref="Interval"/> and swaps in its keys when the content changed. Polling the
/// content, not inotify: Kubernetes updates a mounted Secret by swapping a symlink, which file watches miss.
/// A file that becomes unreadable or invalid keeps the previous keys and is reported once, never with a secret.
/// </summary>
internal sealed class ApiKeyFileWatcher : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>The service key of the <see cref="TimeProvider"/> that paces the polls (tests replace it).</summary>
    public const string TimeProviderKey = "api-key-file-reload";

    private readonly ApiKeyStore _store;
    private readonly string _path;
    private readonly ILogger<ApiKeyFileWatcher> _logger;
    private readonly PeriodicTimer _timer;
    private byte[] _lastSha256;
    private string? _lastReadError;
    private int _completedChecks;

    public ApiKeyFileWatcher(ApiKeyStore store, string path, byte[] loadedSha256, TimeProvider time, ILogger<ApiKeyFileWatcher> logger)
    {
        _store = store;
        _path = path;
        _lastSha256 = loadedSha256;
        _logger = logger;
        // Created now, not when ExecuteAsync first runs, so the first tick is due one interval after construction.
        _timer = new PeriodicTimer(Interval, time);
    }

    /// <summary>Polls finished so far; lets a test know a poll has looked at the file.</summary>
    public int CompletedChecks => Volatile.Read(ref _completedChecks);

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                await CheckAsync(stoppingToken);
                Interlocked.Increment(ref _completedChecks);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        ApiKeyFileContent content;
        try
        {
            content = await ApiKeyFile.ReadAsync(_path, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Mid-swap a file can briefly be missing; say so once, not every two seconds.
            if (_lastReadError != e.Message)
                _logger.LogWarning("Cannot read the API key file '{Path}' ({Reason}); keeping the current {Count} keys until it can be read",
                    _path, e.Message, _store.KeyIds.Count);
            _lastReadError = e.Message;
            return;
        }

        _lastReadError = null;
        if (content.Sha256.AsSpan().SequenceEqual(_lastSha256)) return;
        _lastSha256 = content.Sha256;

        var errors = content.Result.IsValid ? _store.ReplaceFileKeys(content.Result.Keys) : content.Result.Errors;
        if (errors.Count > 0)
        {
            _logger.LogError("The API key file '{Path}' changed but is unusable, so the previous {Count} keys stay in use. Fix: {Problems}",
                _path, _store.KeyIds.Count, string.Join(" ", errors));
            return;
        }

        _logger.LogInformation("Reloaded the API key file '{Path}': {Count} keys now accepted ({KeyIds})",
            _path, _store.KeyIds.Count, string.Join(", ", _store.KeyIds));
    }
}
