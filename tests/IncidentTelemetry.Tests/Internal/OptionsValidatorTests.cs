using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using IncidentTelemetry.Internal;

namespace IncidentTelemetry.Tests.Internal;

/// <summary>Keys that are no option are refused with their full configuration path, as an operator searches for them.</summary>
public sealed class OptionsValidatorTests
{
    [Theory]
    [InlineData("IncidentTelemetry:ServiceNmae", "checkout")]
    [InlineData("IncidentTelemetry:MetricsEndpoint:Portt", "9100")]
    [InlineData("IncidentTelemetry:Alert:Threshold", "5")]
    public void Validate_UnknownKey_FailsWithItsFullPath(string key, string value)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value, ["IncidentTelemetry:ServiceName"] = "checkout" })
            .Build()
            .GetSection(IncidentTelemetryOptions.SectionName);

        var result = new IncidentTelemetryOptionsValidator(section).Validate(null, new IncidentTelemetryOptions());

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(key + " is not an option", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KnownKeysAnyCase_NoFailure()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["IncidentTelemetry:servicename"] = "checkout",
                ["IncidentTelemetry:AdditionalMeters:0"] = "My.Meter",
                ["IncidentTelemetry:MetricsEndpoint:AllowedNetworks:0"] = "10.0.0.0/8",
                ["IncidentTelemetry:MetricsEndpoint:Port"] = "9100",
            })
            .Build()
            .GetSection(IncidentTelemetryOptions.SectionName);

        var result = new IncidentTelemetryOptionsValidator(section).Validate(null, new IncidentTelemetryOptions());

        Assert.True(result.Succeeded, string.Join('\n', result.Failures ?? []));
    }

    [Fact]
    public async Task StartAsync_MisspeltKey_FailsNamingTheFullPath()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseUrls($"http://127.0.0.1:{LoopbackPorts.GetFree().ToString(CultureInfo.InvariantCulture)}");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["IncidentTelemetry:ServiceNmae"] = "checkout" });
        builder.AddIncidentTelemetry();
        await using var app = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains("IncidentTelemetry:ServiceNmae is not an option", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServiceName", error.Message, StringComparison.Ordinal);
    }
}
