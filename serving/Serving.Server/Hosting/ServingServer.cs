using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Pipeline.OnnxRuntime;
using Serving.Server.Configuration;
using Serving.Server.Grpc;
using Serving.Server.Http;
using Serving.Server.Inference;
using Serving.Server.Metrics;
using Serving.Server.Model;

namespace Serving.Server.Hosting;

/// <summary>
/// One inference server: the model (loaded and checked before anything listens), Kestrel, the /v2 routes and
/// the warm-up that makes it ready. Several can run in one process (tests do), sharing one <see cref="OrtEnvironment"/>.
/// </summary>
public sealed class ServingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServedModel _model;
    private readonly StartupFailure _failure;
    private readonly ServerListeners _listeners;

    private ServingServer(WebApplication app, ServedModel model, StartupFailure failure, ServerListeners listeners)
    {
        _app = app;
        _model = model;
        _failure = failure;
        _listeners = listeners;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The bound REST addresses, with the real port when 0 was asked for; known once started.</summary>
    public IReadOnlyList<Uri> Addresses => BoundAddresses().Where(a => a.Port != _listeners.GrpcPort).ToArray();

    /// <summary>The bound gRPC address (h2c), with the real port when 0 was asked for; known once started.</summary>
    public Uri GrpcAddress => BoundAddresses().FirstOrDefault(a => a.Port == _listeners.GrpcPort)
        ?? throw new InvalidOperationException("The gRPC port is not bound yet; start the server first.");

    public bool IsReady => _app.Services.GetRequiredService<ServerReadiness>().IsReady;

    /// <summary>Loads the model and builds the server; nothing listens until <see cref="StartAsync"/> or <see cref="RunAsync"/>.</summary>
    /// <param name="configureServices">Adds or replaces services, such as <see cref="IReadinessGate"/>s.</param>
    /// <exception cref="ServerStartupException">The model file is missing, tampered with, or cannot be served.</exception>
    public static ServingServer Create(ServerOptions options, OrtEnvironment environment, Action<IServiceCollection>? configureServices = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ServerConfigurationException(errors);

        var model = ModelLoader.Load(options, environment);
        try
        {
            var drift = DriftBaselineBinding.Load(options, model);
            // The empty builder reads no appsettings files and watches nothing: settings come from ServerOptions,
            // and a read-only container filesystem is fine. Logging levels can still be set through Logging__* variables.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddEnvironmentVariables();
            ServerLogging.Configure(builder.Logging, options.LogFormat, builder.Configuration.GetSection("Logging"));
            var listeners = new ServerListeners();
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options, listeners));
            builder.Services.AddRoutingCore();
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
            var failure = new StartupFailure();
            AddServices(builder.Services, options, model, drift?.Baseline, failure, listeners);
            configureServices?.Invoke(builder.Services);

            var app = builder.Build();
            app.UseMiddleware<ErrorHandlingMiddleware>();
            app.UseMiddleware<ListenerSeparationMiddleware>();
            app.UseMiddleware<GrpcBodyLimitMiddleware>();
            app.UseMiddleware<GrpcUnreadCallMetricsMiddleware>();
            V2Routes.Map(app);
            GrpcRoutes.Map(app);
            var server = new ServingServer(app, model, failure, listeners);
            server.LogLifecycle(options, drift?.Path);
            return server;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Stops like SIGTERM does: not ready at once, then in-flight requests drain.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>Runs until SIGTERM or Ctrl+C; returns the process exit code (0 after a clean shutdown).</summary>
    public async Task<int> RunAsync()
    {
        await _app.RunAsync();
        return _failure.Exception is null ? 0 : 1;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _model.Dispose();
    }

    private static void AddServices(IServiceCollection services, ServerOptions options, ServedModel model, Pipeline.Drift.DriftBaseline? baseline,
        StartupFailure failure, ServerListeners listeners)
    {
        services.AddSingleton(options);
        services.AddSingleton(listeners);
        services.AddSingleton(model);
        services.AddSingleton(failure);
        services.AddSingleton<ServerReadiness>();
        // A registry per server, not prometheus-net's static default: no shared state between servers in one process.
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton(provider => new InferenceMetrics(provider.GetRequiredService<Prometheus.CollectorRegistry>(), model.Name, model.Version));
        services.AddSingleton(provider => new RequestMetrics(provider.GetRequiredService<Prometheus.CollectorRegistry>(), model.Name, model.Version));
        services.AddSingleton(provider => new GrpcRequestMetrics(provider.GetRequiredService<Prometheus.CollectorRegistry>(), model.Name, model.Version));
        services.AddSingleton(provider =>
        {
            var registry = provider.GetRequiredService<Prometheus.CollectorRegistry>();
            var classifier = PredictedClasses.Create(model);
            return new AnsweredRowMetrics(classifier,
                classifier is null ? null : new PredictionMetrics(registry, model.Name, model.Version, classifier.ClassNames),
                baseline is null ? null : new DriftMetrics(registry, model, baseline));
        });
        services.AddSingleton(new AdmissionControl(options.AdmissionLimit));
        services.AddSingleton<IInferenceExecutor>(provider => options.DynamicBatching
            ? new DynamicBatcher(model, options.DynamicBatchMaxSize, options.DynamicBatchMaxQueueDelayMicroseconds,
                provider.GetRequiredService<InferenceMetrics>(), provider.GetRequiredService<ILogger<DynamicBatcher>>())
            : new DirectExecutor(options.MaxConcurrentInferences, provider.GetRequiredService<InferenceMetrics>()));
        services.AddSingleton<InferencePipeline>();
        services.AddSingleton<InferenceEndpoint>();
        services.AddHostedService<ModelWarmupService>();
        GrpcRoutes.AddServices(services, options);
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ServerOptions options, ServerListeners listeners)
    {
        kestrel.AddServerHeader = false;
        // The server refuses bodies over the limit itself (413, naming it). Kestrel's own bound sits higher so that
        // after an early 413 it can drain the rest of a moderately oversized body: the client then finishes
        // sending and reads the 413, instead of having its connection reset mid-upload. Drained bytes are discarded.
        kestrel.Limits.MaxRequestBodySize = 2 * options.MaxRequestBodyBytes;
        Listen(kestrel, options.BindAddress, options.Port, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listeners.Rest = listen;
        });
        // gRPC needs HTTP/2, and cleartext HTTP/2 (h2c) has no negotiation: the port speaks HTTP/2 only.
        Listen(kestrel, options.BindAddress, options.GrpcPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listeners.Grpc = listen;
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string bindAddress, int port, Action<ListenOptions> configure)
    {
        if (bindAddress == "*") kestrel.ListenAnyIP(port, configure);
        else kestrel.Listen(IPAddress.Parse(bindAddress), port, configure);
    }

    private IEnumerable<Uri> BoundAddresses() =>
        _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a));

    private void LogLifecycle(ServerOptions options, string? driftBaselinePath)
    {
        var logger = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Serving.Server");
        var readiness = _app.Services.GetRequiredService<ServerReadiness>();
        var admission = _app.Services.GetRequiredService<AdmissionControl>();
        _app.Lifetime.ApplicationStarted.Register(() => logger.LogInformation(
            "Listening on {Addresses} (REST) and {GrpcAddress} (gRPC); model '{Model}' version '{Version}' (SHA-256 {Sha256}), max batch {MaxBatch}, " +
            "{Concurrency} concurrent runs + {Queue} queued, dynamic batching {Batching}; inputs {Inputs}; runs {RunPath}; drift baseline {DriftBaseline}",
            string.Join(", ", Addresses), GrpcAddress, _model.Name, _model.Version, _model.FileSha256, options.MaxBatchSize,
            options.MaxConcurrentInferences, options.MaxQueueSize, options.DynamicBatching ? $"on (≤{options.DynamicBatchMaxSize} rows, ≤{options.DynamicBatchMaxQueueDelayMicroseconds} µs)" : "off",
            string.Join(", ", _model.Inputs.Select(i => $"{i.Name} {i.Datatype} {i.DescribeShape()}")),
            _model.WritesOutputsInPlace
                ? "write outputs in place"
                : "copy outputs (the model has BYTES tensors, which ONNX Runtime keeps in its own memory)",
            driftBaselinePath ?? "none (no drift metrics)"));
        // Runs before Kestrel stops: readiness drops first, then in-flight requests get up to the shutdown timeout.
        _app.Lifetime.ApplicationStopping.Register(() =>
        {
            readiness.MarkStopping();
            logger.LogInformation("Stopping: readiness is now false; draining {InFlight} in-flight inference requests", admission.InFlight);
        });
        _app.Lifetime.ApplicationStopped.Register(() => logger.LogInformation("Stopped"));
    }
}
