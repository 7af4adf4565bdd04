using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Tests;

/// <summary>
/// The entry point for apps without an application builder: a generic host with a <c>Startup</c> class that calls
/// <c>services.AddIncidentTelemetry(configuration)</c>, on real Kestrel.
/// </summary>
public sealed class IncidentTelemetryServiceCollectionExtensionsTests
{
    private const int Requests = 7;

    [Fact]
    public async Task AddIncidentTelemetry_StartupClass_ServesEverySignalUnderTheHostsApplicationName()
    {
        using var host = CreateHost([]);
        await host.StartAsync();
        var baseUri = new Uri(host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient { BaseAddress = baseUri };
        for (var i = 0; i < Requests; i++)
        {
            (await client.GetAsync(new Uri("/orders/42", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        var samples = Exposition.Samples(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        var applicationName = host.Services.GetRequiredService<IHostEnvironment>().ApplicationName;
        Assert.False(string.IsNullOrEmpty(applicationName));
        var target = Assert.Single(samples, s => s.Name == "target_info");
        Assert.Equal(applicationName, target.Labels["service_name"]);
        Assert.Equal(Requests, Exposition.Sum(samples, "http_server_request_duration_seconds_count", ("http_route", "/orders/{id}")));
        Assert.Contains(samples, s => s.Name == "process_uptime_seconds");
        Assert.Contains(samples, s => s.Name == "incident_process_memory_limit_bytes");
        await host.StopAsync();
    }

    [Fact]
    public async Task AddIncidentTelemetry_StartupClassUnknownKey_FailsAtStartNamingTheKey()
    {
        using var host = CreateHost(new Dictionary<string, string?> { ["IncidentTelemetry:CardinalityLimt"] = "10" });

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("IncidentTelemetry:CardinalityLimt", error.Message, StringComparison.Ordinal);
    }

    private static IHost CreateHost(Dictionary<string, string?> settings) =>
        new HostBuilder()
            .UseEnvironment("Testing")
            .ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings))
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureWebHost(web => web.UseKestrel().UseUrls("http://127.0.0.1:0").UseStartup<Startup>())
            .Build();

    private sealed class Startup(IConfiguration configuration)
    {
        public void ConfigureServices(IServiceCollection services)
        {
            services.AddRouting();
            services.AddIncidentTelemetry(configuration);
        }

        public static void Configure(IApplicationBuilder app)
        {
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints.MapGet("/orders/{id}", (int id) => Results.Ok(id)));
        }
    }
}
