using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// When <see cref="MetricsEndpointOptions.Port"/> is set, a small Kestrel server on that port alone serves
/// the endpoint, so it is never reachable on the application's public port. Started and stopped with the host.
/// </summary>
internal sealed class ManagementServer(IOptions<IncidentTelemetryOptions> options, MetricsEndpointHandler handler, IServiceProvider services) : IHostedService, IAsyncDisposable
{
    private WebApplication? server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = options.Value.MetricsEndpoint;
        if (endpoint.Enabled && endpoint.AuthorizationPolicy is { } policyName)
        {
            // Fail at start, not at the first scrape, when the policy cannot be evaluated.
            var policies = services.GetService<Microsoft.AspNetCore.Authorization.IAuthorizationPolicyProvider>();
            if (policies is null || await policies.GetPolicyAsync(policyName) is null)
            {
                throw new InvalidOperationException($"IncidentTelemetry:MetricsEndpoint:AuthorizationPolicy names policy '{policyName}', which is not registered (services.AddAuthorization(o => o.AddPolicy(\"{policyName}\", ...))).");
            }
        }

        if (!endpoint.Enabled || endpoint.Port is not { } port)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(endpoint.PortBindAddress), port));
        var app = builder.Build();
        app.Map(endpoint.Path, (RequestDelegate)handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"IncidentTelemetry:MetricsEndpoint:Port {port.ToString(CultureInfo.InvariantCulture)} on {endpoint.PortBindAddress} could not be bound: {ex.Message}", ex);
        }

        this.server = app;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (this.server is { } app)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (this.server is { } app)
        {
            await app.DisposeAsync();
            this.server = null;
        }
    }
}
