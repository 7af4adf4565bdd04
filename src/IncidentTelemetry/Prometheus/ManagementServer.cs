using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// When <see cref="MetricsEndpointOptions.Port"/> is set, a small Kestrel server on that port alone serves
/// the exporter package's endpoint behind <see cref="ScrapeGuard"/>, so it is never reachable on the application's public port. It binds only once the host has
/// started everything else (the application's own server included), and if it cannot bind it stops the
/// application's server again: a failed start leaves no port bound.
/// </summary>
internal sealed class ManagementServer(ScrapeEndpointPlan plan, ScrapeGuard guard, IServiceProvider services) : IHostedLifecycleService, IAsyncDisposable
{
    private WebApplication? server;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var endpoint = plan.Endpoint;
        if (plan.Enabled && endpoint.AuthorizationPolicy is { } policyName)
        {
            // Fail before anything binds, not at the first scrape, when the policy cannot be evaluated.
            var policies = services.GetService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>();
            if (policies is null || await policies.GetPolicyAsync(policyName) is null)
            {
                throw new InvalidOperationException($"IncidentTelemetry:MetricsEndpoint:AuthorizationPolicy names policy '{policyName}', which is not registered (services.AddAuthorization(o => o.AddPolicy(\"{policyName}\", ...))).");
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        plan.Announce();
        var endpoint = plan.Endpoint;
        if (plan.Serving != ScrapeServing.ManagementPort || endpoint.Port is not { } port)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(endpoint.PortBindAddress), port));
        var app = builder.Build();

        // The connection's local port decides, never the Host header: this server listens on the management port
        // alone, and the predicate checks the port the connection arrived on as well.
        var path = endpoint.Path;
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: services.GetRequiredService<MeterProvider>(),
            predicate: context => context.Connection.LocalPort == port && context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase),
            path: null,
            configureBranchedPipeline: guard.Configure,
            optionsName: null);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            await StopApplicationServerAsync();
            throw new InvalidOperationException(
                $"IncidentTelemetry:MetricsEndpoint:Port {port.ToString(CultureInfo.InvariantCulture)} on {endpoint.PortBindAddress} could not be bound: {ex.Message}", ex);
        }

        this.server = app;
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (this.server is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (this.server is { } app)
        {
            await app.DisposeAsync();
            this.server = null;
        }
    }

    /// <summary>The start is about to fail: release the application's port too, so that nothing half-starts.</summary>
    private async Task StopApplicationServerAsync()
    {
        try
        {
            if (services.GetService<IServer>() is { } appServer)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await appServer.StopAsync(timeout.Token);
            }
        }
#pragma warning disable CA1031 // Best effort: the start fails anyway, with the message that names the key.
        catch (Exception stopFailure)
#pragma warning restore CA1031
        {
            Internal.IncidentTelemetryEventSource.Log.CallbackFailed("stopping the application server after the management port failed", stopFailure);
        }
    }
}
