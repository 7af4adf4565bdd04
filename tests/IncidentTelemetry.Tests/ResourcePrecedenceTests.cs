using IncidentTelemetry.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Tests;

/// <summary>
/// The resource the library's MeterProvider reports (target_info): the library's defaults lose to the standard
/// environment (OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES), which loses to the library's service options set
/// explicitly, which lose to the app's own ConfigureResource/AddService, in whichever order the app calls.
/// </summary>
[Collection(nameof(RunsAlone))] // sets process environment variables
public sealed class ResourcePrecedenceTests : IDisposable
{
    private const string EnvAttributes = "service.instance.id=abc,service.version=9.9.9,deployment.environment.name=stage";

    public ResourcePrecedenceTests()
    {
        Environment.SetEnvironmentVariable("OTEL_SERVICE_NAME", null);
        Environment.SetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES", null);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("OTEL_SERVICE_NAME", null);
        Environment.SetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES", null);
    }

    [Fact]
    public async Task Resource_NothingSet_LibraryDefaults()
    {
        var attributes = await ResourceAsync(app: null, libraryServiceName: null);

        Assert.Equal("OrdersAssembly", attributes["service.name"]);
        Assert.Equal(ResourceDefaults.DefaultInstanceId(), attributes["service.instance.id"]);
        Assert.True(attributes.ContainsKey("telemetry.sdk.version"));
    }

    [Fact]
    public async Task Resource_StandardEnvironment_WinsOverLibraryDefaults()
    {
        SetEnvironment();

        var attributes = await ResourceAsync(app: null, libraryServiceName: null);

        Assert.Equal("envname", attributes["service.name"]);
        Assert.Equal("abc", attributes["service.instance.id"]);
        Assert.Equal("9.9.9", attributes["service.version"]);
        Assert.Equal("stage", attributes["deployment.environment.name"]);
    }

    [Fact]
    public async Task Resource_ServiceNameOption_CountsAsAppConfigurationOverEnvironment()
    {
        SetEnvironment();

        var attributes = await ResourceAsync(app: null, libraryServiceName: "orders");

        Assert.Equal("orders", attributes["service.name"]);
        Assert.Equal("abc", attributes["service.instance.id"]); // what the option does not set still comes from the environment
        Assert.Equal("9.9.9", attributes["service.version"]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Resource_AppAddService_WinsInEitherOrder(bool appFirst)
    {
        SetEnvironment();

        var attributes = await ResourceAsync(app: r => r.AddService("checkout", serviceVersion: "4.0.0", serviceInstanceId: "checkout-1"), libraryServiceName: "orders", appFirst);

        Assert.Equal("checkout", attributes["service.name"]);
        Assert.Equal("checkout-1", attributes["service.instance.id"]);
        Assert.Equal("4.0.0", attributes["service.version"]);
        Assert.Equal("stage", attributes["deployment.environment.name"]);
    }

    [Fact]
    public async Task Scrape_EnvironmentAndApp_TargetInfoShowsTheirs()
    {
        SetEnvironment();
        var builder = CreateBuilder();
        builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService("checkout", autoGenerateServiceInstanceId: false));
        builder.AddIncidentTelemetry();
        await using var app = builder.Build();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };

        var target = Assert.Single(ExpositionSample.ParseAll(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))), s => s.Name == "target_info");

        Assert.Equal("checkout", target.Labels["service_name"]);
        Assert.Equal("abc", target.Labels["service_instance_id"]);
        Assert.Equal("9.9.9", target.Labels["service_version"]);
    }

    private static void SetEnvironment()
    {
        Environment.SetEnvironmentVariable("OTEL_SERVICE_NAME", "envname");
        Environment.SetEnvironmentVariable("OTEL_RESOURCE_ATTRIBUTES", EnvAttributes);
    }

    private static WebApplicationBuilder CreateBuilder()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "OrdersAssembly" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder;
    }

    private static async Task<Dictionary<string, object>> ResourceAsync(Action<ResourceBuilder>? app, string? libraryServiceName, bool appFirst = true)
    {
        var builder = CreateBuilder();
        void App()
        {
            if (app is not null)
            {
                builder.Services.AddOpenTelemetry().ConfigureResource(app);
            }
        }

        if (appFirst)
        {
            App();
        }

        builder.AddIncidentTelemetry(o => o.ServiceName = libraryServiceName);
        if (!appFirst)
        {
            App();
        }

        await using var host = builder.Build();
        await host.StartAsync();
        var attributes = host.Services.GetRequiredService<MeterProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);
        await host.StopAsync();
        return attributes;
    }
}
