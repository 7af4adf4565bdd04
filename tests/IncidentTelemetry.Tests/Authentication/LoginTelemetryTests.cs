using System.Diagnostics.Metrics;
using IncidentTelemetry.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentTelemetry.Tests.Authentication;

/// <summary>ILoginTelemetry as an app injects it: bounded methods, never an exception.</summary>
public sealed class LoginTelemetryTests
{
    private const string Meter = "IncidentTelemetry.Authentication";

    [Fact]
    public void RecordAttempt_UnboundedMethods_AtMostSixteenPlusOther()
    {
        using var provider = NewProvider();
        using var attempts = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), Meter, "incident.login.attempts");
        var telemetry = provider.GetRequiredService<ILoginTelemetry>();

        for (var i = 0; i < 40; i++)
        {
            telemetry.RecordAttempt(LoginResult.Success, "m" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        telemetry.RecordAttempt(LoginResult.Failure, "Alice@Example.com");
        telemetry.RecordAttempt(LoginResult.Failure, null!);
        telemetry.RecordAttempt((LoginResult)42, "password");

        // The container's own meter only: 40 + 2 counted (the value outside the enum is dropped).
        var mine = attempts.GetMeasurementSnapshot();
        Assert.Equal(42, mine.Count);
        var methods = mine.Select(m => (string?)m.Tags["incident.login.method"]).Distinct().ToList();
        Assert.Equal(LoginMetrics.MaxMethods + 1, methods.Count);
        Assert.Contains("_OTHER", methods);
        Assert.DoesNotContain(mine, m => m.Tags.Values.Any(v => (v as string)?.Contains('@', StringComparison.Ordinal) == true));
        Assert.Equal(2, mine.Count(m => m.ContainsTags(new KeyValuePair<string, object?>("incident.login.result", "failure"), new KeyValuePair<string, object?>("incident.login.method", "_OTHER"))));
    }

    [Fact]
    public void RecordAttempt_EveryResult_UsesIdentityValues()
    {
        using var provider = NewProvider();
        using var attempts = new MetricCollector<long>(provider.GetRequiredService<IMeterFactory>(), Meter, "incident.login.attempts");
        var telemetry = provider.GetRequiredService<ILoginTelemetry>();

        foreach (var result in Enum.GetValues<LoginResult>())
        {
            telemetry.RecordAttempt(result, "passkey");
        }

        var results = attempts.GetMeasurementSnapshot().Select(m => (string?)m.Tags["incident.login.result"]);
        Assert.Equal(["success", "failure", "locked_out", "requires_two_factor", "not_allowed", "error"], results);
    }

    private static ServiceProvider NewProvider()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        IncidentTelemetryHostingExtensions.AddSignalServices(services);
        var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<IMeterFactory>();
        return provider;
    }
}
