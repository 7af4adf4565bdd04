using IncidentTelemetry.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Tests;

public sealed class IncidentTelemetryHostingExtensionsTests
{
    [Fact]
    public async Task AddIncidentTelemetry_ValidOptions_StartsAndBuildsMeterProviderWithHost()
    {
        await using var app = CreateApp(new Dictionary<string, string?>
        {
            ["IncidentTelemetry:ServiceName"] = "payment-service",
            ["IncidentTelemetry:ServiceNamespace"] = "shop",
            ["IncidentTelemetry:ServiceVersion"] = "1.2.3",
            ["IncidentTelemetry:ServiceInstanceId"] = "pay-1",
        });

        await app.StartAsync();
        var provider = app.Services.GetRequiredService<MeterProvider>();
        var resource = provider.GetResource();
        var attributes = resource.Attributes.ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal("payment-service", attributes["service.name"]);
        Assert.Equal("shop", attributes["service.namespace"]);
        Assert.Equal("1.2.3", attributes["service.version"]);
        Assert.Equal("pay-1", attributes["service.instance.id"]);
        await app.StopAsync();
    }

    [Fact]
    public async Task AddIncidentTelemetry_NoServiceName_UsesApplicationNameAndHostInstance()
    {
        await using var app = CreateApp([]);

        await app.StartAsync();
        var attributes = app.Services.GetRequiredService<MeterProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);

        Assert.Equal(app.Environment.ApplicationName, attributes["service.name"]);
        Assert.Equal(ResourceDefaults.DefaultInstanceId(), attributes["service.instance.id"]);
        await app.StopAsync();
    }

    [Theory]
    [InlineData("IncidentTelemetry:CardinalityLimit", "0", "IncidentTelemetry:CardinalityLimit")]
    [InlineData("IncidentTelemetry:CardinalityLimit", "-5", "IncidentTelemetry:CardinalityLimit")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Path", "metrics", "IncidentTelemetry:MetricsEndpoint:Path")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Port", "70000", "IncidentTelemetry:MetricsEndpoint:Port")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:PortBindAddress", "localhost-ish", "IncidentTelemetry:MetricsEndpoint:PortBindAddress")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:AllowedNetworks:0", "10.0.0.0/99", "IncidentTelemetry:MetricsEndpoint:AllowedNetworks:0")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:ResponseCacheDuration", "00:05:00", "IncidentTelemetry:MetricsEndpoint:ResponseCacheDuration")]
    [InlineData("IncidentTelemetry:ServiceName", " ", "IncidentTelemetry:ServiceName")]
    public async Task StartAsync_InvalidOption_FailsNamingTheKey(string key, string value, string expectedKeyInMessage)
    {
        await using var app = CreateApp(new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains(expectedKeyInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownKey_FailsNamingTheKey()
    {
        await using var app = CreateApp(new Dictionary<string, string?> { ["IncidentTelemetry:CardinalityLimt"] = "10" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("IncidentTelemetry:CardinalityLimt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_InvalidValueFromDelegate_FailsNamingTheKey()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddIncidentTelemetry(o => o.MetricsEndpoint.Path = "no-slash");
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("IncidentTelemetry:MetricsEndpoint:Path", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-slash", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddIncidentTelemetry_CalledTwice_RegistersOneMeterProvider()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.AddIncidentTelemetry();
        builder.AddIncidentTelemetry(o => o.ServiceName = "second");

        Assert.Single(builder.Services, d => d.ServiceType == typeof(MeterProvider));
        using var host = builder.Build();
        Assert.Equal("second", host.Services.GetRequiredService<IOptions<IncidentTelemetryOptions>>().Value.ServiceName);
    }

    [Fact]
    public void AddIncidentTelemetryInstrumentation_OwnProvider_AddsLatencyBucketsWithAlertThresholds()
    {
        // The thresholds of the incident reviews must be bucket boundaries, or histogram_quantile interpolates across them.
        foreach (var threshold in new[] { 0.1, 0.5, 1.0, 2.0 })
        {
            Assert.Contains(threshold, MetricsConstants.LatencyBuckets);
        }

        using var meter = new System.Diagnostics.Metrics.Meter("Microsoft.AspNetCore.Hosting");
        var histogram = meter.CreateHistogram<double>("http.server.request.duration", "s");
        var view = IncidentTelemetry.EndpointLatency.HistogramViews.SelectView(histogram, 123);

        var buckets = Assert.IsType<ExplicitBucketHistogramConfiguration>(view);
        Assert.Equal(MetricsConstants.LatencyBuckets, buckets.Boundaries);
        Assert.Equal(123, buckets.CardinalityLimit);
    }

    [Fact]
    public void SelectView_MeterNotAdded_LeavesInstrumentAlone()
    {
        using var meter = new System.Diagnostics.Metrics.Meter("Somebody.Else");
        var histogram = meter.CreateHistogram<double>("x.duration", "s");

        Assert.Null(IncidentTelemetry.EndpointLatency.HistogramViews.SelectView(histogram, 10));
    }

    [Fact]
    public void SelectView_SizeHistogram_GetsSizeBuckets()
    {
        using var meter = new System.Diagnostics.Metrics.Meter(MetricsConstants.CacheMeterName);
        var histogram = meter.CreateHistogram<long>("incident.cache.payload.size", "By");

        var buckets = Assert.IsType<ExplicitBucketHistogramConfiguration>(IncidentTelemetry.EndpointLatency.HistogramViews.SelectView(histogram, 10));

        Assert.Equal(MetricsConstants.SizeBuckets, buckets.Boundaries);
    }

    private static WebApplication CreateApp(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        // Only the test's own settings: the build may copy the sample's appsettings.json (which names a
        // service) next to the test assembly, and environment variables differ between machines.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIncidentTelemetry();
        return builder.Build();
    }
}
