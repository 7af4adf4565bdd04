using System.Globalization;
using IncidentTelemetry.Internal;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;

namespace IncidentTelemetry.Prometheus;

/// <summary>Where the scraping endpoint is served.</summary>
internal enum ScrapeServing
{
    /// <summary>Only <c>AddIncidentTelemetryInstrumentation()</c> was used: the library serves nothing and adds no exporter.</summary>
    NotRequested,

    /// <summary><c>MetricsEndpoint:Enabled</c> is false: the library serves nothing.</summary>
    Disabled,

    /// <summary>The app maps the path itself: the library serves nothing there, on no port.</summary>
    App,

    /// <summary>The library serves the exporter on the application's own ports.</summary>
    AppPort,

    /// <summary>The library serves the exporter on the management port alone.</summary>
    ManagementPort,

    /// <summary>The app has no HTTP server (a worker service) and no management port is set: nothing can be served.</summary>
    NoServer,
}

/// <summary>Whose Prometheus exporter the endpoint serves.</summary>
internal enum ScrapeExporter
{
    /// <summary>No Prometheus exporter: the library added none and the app registered none (or the endpoint is not the library's).</summary>
    None,

    /// <summary>The library's own, added because the library serves the endpoint and the app registered none.</summary>
    Library,

    /// <summary>The app's own (<c>AddPrometheusExporter()</c>); the library adds no second one.</summary>
    App,
}

/// <summary>
/// The one decision about the scraping endpoint, which every other class asks: whether the library serves it, where
/// (the application's ports or the management port), which exporter (the library's, the app's, none) and whose
/// endpoint answers the path. Only <c>AddIncidentTelemetry()</c> asks for an endpoint; with
/// <c>AddIncidentTelemetryInstrumentation()</c> alone the library serves nothing and adds no exporter, so an app that
/// exports by OTLP alone needs no Prometheus exporter. The exporter is decided when the MeterProvider is built
/// (after every registration of the app), the place when the app's pipeline exists (an app endpoint at the same path
/// is never shadowed). Requests to a scraping path are never recorded in <c>http.server.request.duration</c>.
/// </summary>
internal sealed partial class ScrapeEndpointPlan(IOptions<IncidentTelemetryOptions> options, IServiceProvider services, ILogger<ScrapeEndpointPlan> logger)
{
    private readonly MetricsEndpointOptions endpoint = options.Value.MetricsEndpoint;
    private readonly Lock sync = new();
    private readonly Lock exporterSync = new();
    private ScrapeExporter? exporter;
    private int decided; // 0 until decided, then 1 + (int)ScrapeServing; read on every request without a lock
    private string[] appPaths = [];

    /// <summary>The library's endpoint options (path, port, guards). The only class besides the validator that reads them.</summary>
    public MetricsEndpointOptions Endpoint => this.endpoint;

    /// <summary>The library's scraping path.</summary>
    public string Path => this.endpoint.Path;

    /// <summary>Whether <c>AddIncidentTelemetry()</c> asked for an endpoint (the composition entry point alone does not).</summary>
    public bool Requested => services.GetService<LibraryEndpointRegistration>() is not null;

    /// <summary>Whether the library's endpoint is asked for and enabled (its guards then apply and are checked at startup).</summary>
    public bool Enabled => this.Requested && this.endpoint.Enabled;

    /// <summary>Whose exporter serves; decided once, when the MeterProvider is built or the first time it is asked.</summary>
    public ScrapeExporter Exporter
    {
        get
        {
            lock (this.exporterSync)
            {
                this.exporter ??= this.DecideExporter();
                return this.exporter.Value;
            }
        }
    }

    /// <summary>
    /// Whether the library puts the exporter's endpoint on the application's own ports: known before the app's
    /// pipeline is built, so that the startup filter adds nothing when nothing can be served.
    /// </summary>
    public bool MayServeOnAppPort => this.Enabled && this.endpoint.Port is null && this.Exporter != ScrapeExporter.None;

    /// <summary>Where the endpoint is served; decided once, after the app's pipeline is built (first scrape or host started).</summary>
    public ScrapeServing Serving
    {
        get
        {
            var known = Volatile.Read(ref this.decided);
            if (known != 0)
            {
                return (ScrapeServing)(known - 1);
            }

            lock (this.sync)
            {
                if (this.decided == 0)
                {
                    var serving = this.DecideServing();
                    Volatile.Write(ref this.decided, 1 + (int)serving);
                }

                return (ScrapeServing)(this.decided - 1);
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> is a scraping path: the library's (when it or the app serves there), or the one the app's exporter options name.</summary>
    public bool IsScrapePath(PathString path)
    {
        var serving = this.Serving;
        if (serving is ScrapeServing.AppPort or ScrapeServing.App && path.Equals(this.endpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var appPath in this.appPaths)
        {
            if (path.Equals(appPath, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Decides (if no scrape did yet) and logs the one line that says what the library does.</summary>
    public void Announce()
    {
        var serving = this.Serving;
        var whose = this.Exporter == ScrapeExporter.App ? "the app's own Prometheus exporter" : "the library's Prometheus exporter";
        switch (serving)
        {
            case ScrapeServing.NotRequested:
                LogNotRequested(logger);
                break;
            case ScrapeServing.Disabled:
                LogDisabled(logger);
                break;
            case ScrapeServing.App:
                LogAppEndpoint(logger, this.endpoint.Path);
                break;
            case ScrapeServing.NoServer:
                LogNoServer(logger);
                break;
            case ScrapeServing.AppPort:
                LogServing(logger, whose, this.endpoint.Path, "the application's ports");
                break;
            case ScrapeServing.ManagementPort:
                LogServing(logger, whose, this.endpoint.Path, string.Create(CultureInfo.InvariantCulture, $"management port {this.endpoint.PortBindAddress}:{this.endpoint.Port}"));
                break;
        }
    }

    /// <summary>Whether the app has an HTTP server (a web app) or not (a worker service); asked without creating it.</summary>
    private bool HasServer => services.GetService<IServiceProviderIsService>()?.IsService(typeof(IServer)) == true;

    private ScrapeExporter DecideExporter()
    {
        if (services.GetService<LibraryEndpointRegistration>() is not { } registration)
        {
            // The composition entry point alone: the app's exporters are its own business, the library adds none.
            return ScrapeExporter.None;
        }

        if (this.AppRegisteredExporter(registration))
        {
            return ScrapeExporter.App;
        }

        if (!this.endpoint.Enabled || (this.endpoint.Port is null && !this.HasServer))
        {
            return ScrapeExporter.None;
        }

        return ScrapeExporter.Library;
    }

    /// <summary>
    /// Whether a registration of the app adds a Prometheus exporter. Public surface first: the app's options of the
    /// exporter (<c>AddPrometheusExporter(o => ...)</c> or <c>services.Configure&lt;PrometheusAspNetCoreOptions&gt;</c>),
    /// and the options the app's exporters already asked for (an app exporter registered before the library's has
    /// been created when the library's is decided). A plain <c>AddPrometheusExporter()</c> registered after the library
    /// leaves no public trace: only then the fallback (<see cref="SdkFallback"/>) reads the provider's registrations.
    /// </summary>
    private bool AppRegisteredExporter(LibraryEndpointRegistration registration)
    {
        if (!registration.AppOptionsNames.IsEmpty)
        {
            return true;
        }

        foreach (var descriptor in registration.Services)
        {
            if (!descriptor.IsKeyedService && !registration.Own.Contains(descriptor)
                && (descriptor.ServiceType == typeof(IConfigureOptions<PrometheusAspNetCoreOptions>) || descriptor.ServiceType == typeof(IPostConfigureOptions<PrometheusAspNetCoreOptions>)))
            {
                return true;
            }
        }

        var found = SdkFallback.RegistersPrometheusExporter(registration.Services, registration.Own, out var readable);
        if (!readable)
        {
            LogFallbackUnreadable(logger);
        }
        else if (found)
        {
            LogFallbackFound(logger);
        }

        return found;
    }

    private ScrapeServing DecideServing()
    {
        // The exporter first: reading the app exporter's options below creates them, which the options observer
        // would take for an exporter of the app's (a request can arrive before the provider is built).
        var exporter = this.Exporter;

        // The app's endpoints exist once its pipeline is built, which is before the first request and before the
        // host reports started; they are read once.
        var appExporterPath = services.GetService<IOptionsMonitor<PrometheusAspNetCoreOptions>>()?.Get(Options.DefaultName).ScrapeEndpointPath;
        var ours = "/" + this.endpoint.Path.Trim('/');
        var mapped = new List<string>();
        var sameAsOurs = false;
        foreach (var source in services.GetServices<EndpointDataSource>())
        {
            foreach (var routeEndpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                if (routeEndpoint.RoutePattern.RawText is not { } raw)
                {
                    continue;
                }

                var path = "/" + raw.Trim('/');
                if (path.Equals(ours, StringComparison.OrdinalIgnoreCase))
                {
                    sameAsOurs = true;
                    mapped.Add(path);
                }
                else if (appExporterPath is not null && path.Equals("/" + appExporterPath.Trim('/'), StringComparison.OrdinalIgnoreCase))
                {
                    mapped.Add(path);
                }
            }
        }

        this.appPaths = [.. mapped];
        if (!this.Requested)
        {
            return ScrapeServing.NotRequested;
        }

        if (!this.endpoint.Enabled)
        {
            return ScrapeServing.Disabled;
        }

        if (sameAsOurs)
        {
            return ScrapeServing.App;
        }

        if (this.endpoint.Port is not null)
        {
            return ScrapeServing.ManagementPort;
        }

        return this.HasServer && exporter != ScrapeExporter.None ? ScrapeServing.AppPort : ScrapeServing.NoServer;
    }

    [LoggerMessage(1, LogLevel.Information, "IncidentTelemetry: the metrics endpoint is disabled (IncidentTelemetry:MetricsEndpoint:Enabled = false); the library serves no endpoint.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "IncidentTelemetry: the app maps {Path} itself; the library serves no second endpoint and leaves the app's as it is (its guards and port options do not apply to it).")]
    private static partial void LogAppEndpoint(ILogger logger, string path);

    [LoggerMessage(3, LogLevel.Information, "IncidentTelemetry: serving {Exporter} at {Path} on {Where}.")]
    private static partial void LogServing(ILogger logger, string exporter, string path, string where);

    [LoggerMessage(4, LogLevel.Information, "IncidentTelemetry: AddIncidentTelemetryInstrumentation() adds meters and views only; the library serves no endpoint and adds no exporter (the app's exporters export its meters).")]
    private static partial void LogNotRequested(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "IncidentTelemetry: this app has no HTTP server and IncidentTelemetry:MetricsEndpoint:Port is not set, so no metrics endpoint is served and no Prometheus exporter is added; set the port to serve one, or export by OTLP.")]
    private static partial void LogNoServer(ILogger logger);

    [LoggerMessage(6, LogLevel.Debug, "IncidentTelemetry: found the app's own Prometheus exporter by reading the MeterProvider's registrations (a plain AddPrometheusExporter() after AddIncidentTelemetry() has no public trace); the library adds no second exporter.")]
    private static partial void LogFallbackFound(ILogger logger);

    [LoggerMessage(7, LogLevel.Warning, "IncidentTelemetry: could not read this OpenTelemetry version's MeterProvider registrations to find a Prometheus exporter of the app's; if the app adds one after AddIncidentTelemetry(), register it before, or pass it an options delegate, so that the library adds no second exporter.")]
    private static partial void LogFallbackUnreadable(ILogger logger);
}
