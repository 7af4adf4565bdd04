using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Testing;

/// <summary>A real Kestrel app on a loopback port with <c>AddIncidentTelemetry()</c>, as a service would have it.</summary>
public static class LoopbackApp
{
    public static async Task<WebApplication> StartAsync(
        Action<IncidentTelemetryOptions> configure,
        Action<WebApplication> map,
        ILoggerProvider? logger = null,
        Action<WebApplicationBuilder>? builderSetup = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logger is not null)
        {
            builder.Logging.AddProvider(logger);
        }

        builder.AddIncidentTelemetry(configure);
        builderSetup?.Invoke(builder);
        var app = builder.Build();
        map(app);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    public static Uri BaseUri(WebApplication app) => new(app.Urls.First());
}
