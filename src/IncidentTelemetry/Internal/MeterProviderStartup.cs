using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Internal;

/// <summary>
/// Builds the MeterProvider when the host starts (the job OpenTelemetry.Extensions.Hosting would do,
/// which cannot be restored here), so that measurements are collected from the first request on.
/// The container disposes the provider with the host.
/// </summary>
internal sealed class MeterProviderStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<MeterProvider>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
