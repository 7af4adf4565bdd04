using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Prometheus;

/// <summary>Where the scraping endpoint is served, decided once, when the first scrape or the started host asks.</summary>
internal enum ScrapeServing
{
    /// <summary><c>MetricsEndpoint:Enabled</c> is false: the library serves nothing.</summary>
    Disabled,

    /// <summary>The app maps the path itself: the library serves nothing there, on no port.</summary>
    App,

    /// <summary>The library serves the exporter on the application's own ports.</summary>
    AppPort,

    /// <summary>The library serves the exporter on the management port alone.</summary>
    ManagementPort,
}

/// <summary>
/// The one decision about the scraping endpoint: whether the library serves it, and where. An endpoint the app maps
/// at the same path (for example <c>app.MapPrometheusScrapingEndpoint()</c>) is never shadowed: the app's serves,
/// and the library says so in one log line at startup. Requests to a scraping path are never recorded in
/// <c>http.server.request.duration</c>, whoever serves them.
/// </summary>
internal sealed partial class ScrapeEndpointPlan(IOptions<IncidentTelemetryOptions> options, IServiceProvider services, ILogger<ScrapeEndpointPlan> logger)
{
    private readonly MetricsEndpointOptions endpoint = options.Value.MetricsEndpoint;
    private readonly Lock sync = new();
    private int decided; // 0 until decided, then 1 + (int)ScrapeServing; read on every request without a lock
    private string[] appPaths = [];

    public string Path => this.endpoint.Path;

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
                    var serving = this.Decide();
                    Volatile.Write(ref this.decided, 1 + (int)serving);
                }

                return (ScrapeServing)(this.decided - 1);
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> is a scraping path: the library's, or one the app maps for its own Prometheus endpoint.</summary>
    public bool IsScrapePath(PathString path)
    {
        if (path.Equals(this.endpoint.Path, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        _ = this.Serving;
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
        var decided = this.Serving;
        var gate = services.GetService<ExporterGate>();
        var exporter = gate?.AppHasExporter == true ? "the app's own Prometheus exporter" : "the library's Prometheus exporter";
        switch (decided)
        {
            case ScrapeServing.Disabled:
                LogDisabled(logger);
                break;
            case ScrapeServing.App:
                LogAppEndpoint(logger, this.endpoint.Path);
                break;
            case ScrapeServing.AppPort:
                LogServing(logger, exporter, this.endpoint.Path, "the application's ports");
                break;
            case ScrapeServing.ManagementPort:
                LogServing(logger, exporter, this.endpoint.Path, string.Create(CultureInfo.InvariantCulture, $"management port {this.endpoint.PortBindAddress}:{this.endpoint.Port}"));
                break;
        }
    }

    private ScrapeServing Decide()
    {
        if (!this.endpoint.Enabled)
        {
            return ScrapeServing.Disabled;
        }

        // The app's endpoints exist once its pipeline is built, which is before the first request and before the
        // host reports started; they are read once.
        var mapped = new List<string>();
        var sameAsOurs = false;
        foreach (var source in services.GetServices<EndpointDataSource>())
        {
            foreach (var routeEndpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var raw = routeEndpoint.RoutePattern.RawText;
                if (raw is null)
                {
                    continue;
                }

                var path = "/" + raw.Trim('/');
                if (path.Equals(this.endpoint.Path.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                {
                    sameAsOurs = true;
                    mapped.Add(path);
                }
                else if (routeEndpoint.DisplayName?.Contains("Prometheus", StringComparison.OrdinalIgnoreCase) == true)
                {
                    mapped.Add(path);
                }
            }
        }

        this.appPaths = [.. mapped];
        if (sameAsOurs)
        {
            return ScrapeServing.App;
        }

        return this.endpoint.Port is null ? ScrapeServing.AppPort : ScrapeServing.ManagementPort;
    }

    [LoggerMessage(1, LogLevel.Information, "IncidentTelemetry: the metrics endpoint is disabled (IncidentTelemetry:MetricsEndpoint:Enabled = false); the library serves no endpoint.")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "IncidentTelemetry: the app maps {Path} itself; the library serves no second endpoint and leaves the app's as it is (its guards and port options do not apply to it).")]
    private static partial void LogAppEndpoint(ILogger logger, string path);

    [LoggerMessage(3, LogLevel.Information, "IncidentTelemetry: serving {Exporter} at {Path} on {Where}.")]
    private static partial void LogServing(ILogger logger, string exporter, string path, string where);
}
