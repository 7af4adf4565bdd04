using System.Net;
using IncidentTelemetry.Internal;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// Answers a scrape: GET or HEAD only, allowed networks and authorization policy checked first, the
/// format negotiated from Accept, the shared (cached) collection written out. Never throws into the host.
/// </summary>
internal sealed class MetricsEndpointHandler
{
    private const string TextContentType = "text/plain; version=0.0.4; charset=utf-8";
    private const string OpenMetricsContentType = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private readonly PrometheusExporter exporter;
    private readonly IServiceProvider appServices;
    private readonly MetricsEndpointOptions options;
    private readonly IPNetwork[] allowed;

    public MetricsEndpointHandler(PrometheusExporter exporter, IServiceProvider appServices, IOptions<IncidentTelemetryOptions> options)
    {
        this.exporter = exporter;
        this.appServices = appServices;
        this.options = options.Value.MetricsEndpoint;
        this.allowed = [.. this.options.AllowedNetworks.Select(n => IPNetwork.Parse(n))];
    }

    public string Path => this.options.Path;

    public async Task HandleAsync(HttpContext context)
    {
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

            var openMetrics = WantsOpenMetrics(context.Request);
            var result = await this.exporter.ScrapeAsync(openMetrics, context.RequestAborted);
            try
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = openMetrics ? OpenMetricsContentType : TextContentType;
                context.Response.ContentLength = result.Content.Length;
                if (!HttpMethods.IsHead(context.Request.Method))
                {
                    await context.Response.Body.WriteAsync(result.Content, context.RequestAborted);
                }
            }
            finally
            {
                result.Release();
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The scraper went away; the next scrape is served as usual.
        }
#pragma warning disable CA1031 // The endpoint must never take the host down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            IncidentTelemetryEventSource.Log.ScrapeFailed(ex.GetType().FullName ?? ex.GetType().Name);
            if (!context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("scrape failed; see the IncidentTelemetry event source\n", CancellationToken.None);
            }
        }
    }

    internal static bool WantsOpenMetrics(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains("application/openmetrics-text", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
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
