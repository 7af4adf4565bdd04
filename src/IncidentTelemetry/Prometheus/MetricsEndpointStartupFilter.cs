using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// Serves the endpoint at the start of the application's own pipeline, since <c>AddIncidentTelemetry()</c>
/// runs before the app exists. Not used when a management port is configured.
/// </summary>
internal sealed class MetricsEndpointStartupFilter(IOptions<IncidentTelemetryOptions> options) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        var endpoint = options.Value.MetricsEndpoint;
        if (!endpoint.Enabled || endpoint.Port is not null)
        {
            return next;
        }

        return app =>
        {
            var handler = app.ApplicationServices.GetService(typeof(MetricsEndpointHandler)) as MetricsEndpointHandler;
            if (handler is not null)
            {
                app.Use((context, nextMiddleware) =>
                    context.Request.Path.Equals(handler.Path, StringComparison.OrdinalIgnoreCase)
                        ? handler.HandleAsync(context)
                        : nextMiddleware(context));
            }

            next(app);
        };
    }
}
