using System.Net;
using IncidentTelemetry.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// What the exporter package lacks, in front of its middleware: GET or HEAD only, allowed networks, authorization
/// policy, and the scrape kept out of <c>http.server.request.duration</c>. Never throws into the host.
/// </summary>
internal sealed class ScrapeGuard
{
    private readonly IServiceProvider appServices;
    private readonly MetricsEndpointOptions options;
    private readonly IPNetwork[] allowed;

    public ScrapeGuard(IServiceProvider appServices, ScrapeEndpointPlan plan)
    {
        this.appServices = appServices;
        this.options = plan.Endpoint;
        this.allowed = [.. this.options.AllowedNetworks.Select(static n => IPNetwork.TryParse(n, out var network) ? network : (IPNetwork?)null).OfType<IPNetwork>()];
    }

    /// <summary>Puts the guard at the start of the exporter's branch.</summary>
    public void Configure(IApplicationBuilder branch) => branch.Use(next => context => this.InvokeAsync(context, next));

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        MetricsEndpointStartupFilter.DisableHttpMetrics(context);
        try
        {
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = "GET, HEAD";
                return;
            }

            if (!this.IsAllowedNetwork(context.Connection.RemoteIpAddress))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            if (this.options.AuthorizationPolicy is { } policyName && !await this.AuthorizeAsync(context, policyName))
            {
                return;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away; the next scrape is served as usual.
            return;
        }
#pragma warning disable CA1031 // The endpoint must never take the host down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            IncidentTelemetryEventSource.Log.ScrapeFailed(ex.GetType().FullName ?? ex.GetType().Name);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }

            return;
        }

        // The exporter's middleware catches its own failures (500, 408 on X-Prometheus-Scrape-Timeout-Seconds).
        await next(context);
    }

    private bool IsAllowedNetwork(IPAddress? remote)
    {
        if (this.allowed.Length == 0)
        {
            return true;
        }

        if (remote is null)
        {
            return false;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        foreach (var network in this.allowed)
        {
            if (network.Contains(remote))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<bool> AuthorizeAsync(HttpContext context, string policyName)
    {
        // On the management port the request runs in its own small server: authenticate and authorize with
        // the application's own services, so its schemes and policies apply unchanged.
        await using var scope = this.appServices.CreateAsyncScope();
        var original = context.RequestServices;
        context.RequestServices = scope.ServiceProvider;
        try
        {
            var policy = await scope.ServiceProvider.GetRequiredService<IAuthorizationPolicyProvider>().GetPolicyAsync(policyName)
                ?? throw new InvalidOperationException($"IncidentTelemetry:MetricsEndpoint:AuthorizationPolicy names policy '{policyName}', which is not registered.");
            var evaluator = scope.ServiceProvider.GetRequiredService<IPolicyEvaluator>();
            AuthenticateResult authentication;
            if (policy.AuthenticationSchemes.Count > 0)
            {
                authentication = await evaluator.AuthenticateAsync(policy, context);
            }
            else
            {
                // The endpoint runs before the app's authentication middleware: use the default scheme here.
                authentication = await context.AuthenticateAsync();
                if (authentication.Succeeded)
                {
                    context.User = authentication.Principal;
                }
            }

            var authorization = await evaluator.AuthorizeAsync(policy, authentication, context, resource: null);
            if (authorization.Succeeded)
            {
                return true;
            }

            context.Response.StatusCode = authorization.Challenged ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
            return false;
        }
        finally
        {
            context.RequestServices = original;
        }
    }
}
