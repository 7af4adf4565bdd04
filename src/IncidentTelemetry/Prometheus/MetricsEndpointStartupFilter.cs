using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// At the start of the application's pipeline (<c>AddIncidentTelemetry()</c> runs before the app exists): keeps
/// scrapes out of <c>http.server.request.duration</c>, and, when <see cref="ScrapeEndpointPlan"/> says the library
/// may serve on the application's ports, answers its path with the exporter package's middleware behind
/// <see cref="ScrapeGuard"/>. An app endpoint at the same path makes the library step aside.
/// </summary>
internal sealed partial class MetricsEndpointStartupFilter(ScrapeEndpointPlan plan, ScrapeGuard guard, ILogger<MetricsEndpointStartupFilter> logger) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        return app =>
        {
            app.Use(next => context =>
            {
                if (plan.IsScrapePath(context.Request.Path))
                {
                    DisableHttpMetrics(context);
                }

                return next(context);
            });

            // Whether the app maps the path itself is known only once its pipeline is built (after next(app)): the
            // predicate asks the plan per request, which decides once. Nothing is added when the plan has no
            // exporter to serve here (the composition entry point alone, an OTLP-only app, a disabled endpoint).
            if (plan.MayServeOnAppPort)
            {
                try
                {
                    app.UseOpenTelemetryPrometheusScrapingEndpoint(
                        meterProvider: null,
                        predicate: context => context.Request.Path.Equals(plan.Path, StringComparison.OrdinalIgnoreCase)
                            && plan.Serving == ScrapeServing.AppPort,
                        path: null,
                        configureBranchedPipeline: guard.Configure,
                        optionsName: null);
                }
                catch (ArgumentException ex)
                {
                    // The plan counted on an exporter the provider does not have: serve nothing rather than fail the app.
                    LogNoExporter(logger, plan.Path, ex.Message);
                }
            }

            next(app);
        };
    }

    internal static void DisableHttpMetrics(HttpContext context)
    {
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }
    }

    [LoggerMessage(10, LogLevel.Warning, "IncidentTelemetry: no Prometheus exporter on the MeterProvider, so nothing is served at {Path}: {Reason}")]
    private static partial void LogNoExporter(ILogger logger, string path, string reason);
}
