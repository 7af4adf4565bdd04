using System.Globalization;
using System.Net.Sockets;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Tests.Internal;

/// <summary>
/// Bad configuration fails the start with a message naming the key, and nothing half-starts: neither the
/// application's port nor the management port is left bound. (IncidentTelemetryHostingExtensionsTests covers
/// out-of-range values; these are the cases it leaves out.)
/// </summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Port", "-1")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Port", "0")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Port", "ninety")]
    [InlineData("IncidentTelemetry:CardinalityLimit", "lots")]
    [InlineData("IncidentTelemetry:CardinalityLimit", "-2147483648")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:ResponseCacheDuration", "-00:00:01")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Enabled", "maybe")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:AuthorizationPolicy", "")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:AllowedNetworks:0", "everyone")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Portt", "9100")]
    [InlineData("IncidentTelemetry:Alert:Threshold", "5")]
    [InlineData("IncidentTelemetry:AdditionalMeters:0", "Npgsql")]
    public async Task StartAsync_BadValue_FailsNamingTheKeyAndBindsNoPort(string key, string value)
    {
        var appPort = LoopbackPorts.GetFree();
        var managementPort = LoopbackPorts.GetFree();
        var settings = new Dictionary<string, string?>
        {
            ["IncidentTelemetry:MetricsEndpoint:Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
            [key] = value,
        };
        if (key == "IncidentTelemetry:MetricsEndpoint:AuthorizationPolicy")
        {
            settings[key] = " "; // an empty value in configuration reads as unset; a blank one must be refused
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{appPort.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIncidentTelemetry();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        // The key, with the section path, as an operator would search the configuration for it.
        var leaf = key[(key.LastIndexOf(':') + 1)..];
        var named = error.Message.Contains(key, StringComparison.Ordinal)
            || (int.TryParse(leaf, out _) && error.Message.Contains(key[..key.LastIndexOf(':')], StringComparison.Ordinal))
            || error.Message.Contains($"'{leaf}'", StringComparison.Ordinal)
            || (key == "IncidentTelemetry:Alert:Threshold" && error.Message.Contains("'Alert'", StringComparison.Ordinal) && error.Message.Contains(nameof(IncidentTelemetryOptions), StringComparison.Ordinal));
        Assert.True(named, $"the message names {key}: {error.GetType().Name}: {error.Message}");
        AssertFree(appPort);
        AssertFree(managementPort);
    }

    [Fact]
    public async Task StartAsync_AppPortTaken_ManagementPortNotLeftBound()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var appPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var managementPort = LoopbackPorts.GetFree();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{appPort.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        builder.AddIncidentTelemetry(o => o.MetricsEndpoint.Port = managementPort);
        await using var app = builder.Build();

        await Assert.ThrowsAnyAsync<IOException>(() => app.StartAsync());

        AssertFree(managementPort);
    }

    [Fact]
    public async Task StartAsync_ManagementPortTaken_AppPortReleasedAgain()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var managementPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        var appPort = LoopbackPorts.GetFree();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{appPort.ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        builder.AddIncidentTelemetry(o => o.MetricsEndpoint.Port = managementPort);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("IncidentTelemetry:MetricsEndpoint:Port", error.Message, StringComparison.Ordinal);
        AssertFree(appPort);
    }

    private static void AssertFree(int port)
    {
        using var listener = new TcpListener(IPAddress.Loopback, port);
        var ex = Record.Exception(listener.Start);
        Assert.True(ex is null, $"port {port} is still bound after the failed start: {ex?.Message}");
    }
}
