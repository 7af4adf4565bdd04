using Microsoft.Extensions.Hosting;

namespace IncidentTelemetry.Memory;

/// <summary>Creates <see cref="ProcessMetrics"/> when the host starts, so its gauges exist before the first scrape.</summary>
internal sealed class ProcessMetricsStartup(ProcessMetrics metrics) : IHostedService
{
    private readonly ProcessMetrics metrics = metrics;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(this.metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
