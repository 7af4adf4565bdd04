using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// At the start of the application's pipeline (<c>AddIncidentTelemetry()</c> runs before the app exists): keeps
/// scrapes out of <c>http.server.request.duration</c>, and, when the library serves on the application's ports,
/// answers its path with the exporter package's middleware behind <see cref="ScrapeGuard"/>. An app endpoint at the
/// same path makes the library step aside (<see cref="ScrapeEndpointPlan"/>).
/// </summary>
internal sealed class MetricsEndpointStartupFilter(ScrapeEndpointPlan plan, ScrapeGuard guard, IOptions<IncidentTelemetryOptions> options) : IStartupFilter
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
            // predicate asks the plan per request, which decides once.
            var endpoint = options.Value.MetricsEndpoint;
            if (endpoint.Enabled && endpoint.Port is null)
            {
                app.UseOpenTelemetryPrometheusScrapingEndpoint(
                    meterProvider: null,
                    predicate: context => context.Request.Path.Equals(plan.Path, StringComparison.OrdinalIgnoreCase)
                        && plan.Serving == ScrapeServing.AppPort,
                    path: null,
                    configureBranchedPipeline: guard.Configure,
                    optionsName: null);
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
}
