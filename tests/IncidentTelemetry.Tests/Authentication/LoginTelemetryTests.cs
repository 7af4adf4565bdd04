using System.Diagnostics.Metrics;
using IncidentTelemetry.Authentication;
using IncidentTelemetry.Tests.Database;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Tests.Authentication;

/// <summary>ILoginTelemetry as an app injects it: bounded methods, never an exception.</summary>
public sealed class LoginTelemetryTests
{
    private const string Meter = "IncidentTelemetry.Authentication";

    [Fact]
    public void RecordAttempt_UnboundedMethods_AtMostSixteenPlusOther()
    {
        using var provider = NewProvider();
        using var capture = new MeterCapture(Meter);
        var telemetry = provider.GetRequiredService<ILoginTelemetry>();

        for (var i = 0; i < 40; i++)
        {
            telemetry.RecordAttempt(LoginResult.Success, "m" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        telemetry.RecordAttempt(LoginResult.Failure, "Alice@Example.com");
        telemetry.RecordAttempt(LoginResult.Failure, null!);
        telemetry.RecordAttempt((LoginResult)42, "password");

        var mine = capture.Recorded(Meter, "incident.login.attempts").Where(m => m.Tag("incident.login.method") is not ("password" or "passkey")).ToList();
        Assert.Equal(42, mine.Count);
        var methods = mine.Select(m => m.Tag("incident.login.method")).Distinct().ToList();
        Assert.Equal(LoginMetrics.MaxMethods + 1, methods.Count);
        Assert.Contains("_OTHER", methods);
        Assert.DoesNotContain(mine, m => m.Tags.Values.Any(v => (v as string)?.Contains('@', StringComparison.Ordinal) == true));
        Assert.Equal(2, mine.Count(m => m.Tag("incident.login.result") == "failure" && m.Tag("incident.login.method") == "_OTHER"));
    }

    [Fact]
    public void RecordAttempt_EveryResult_UsesIdentityValues()
    {
        using var provider = NewProvider();
        using var capture = new MeterCapture(Meter);
        var telemetry = provider.GetRequiredService<ILoginTelemetry>();

        foreach (var result in Enum.GetValues<LoginResult>())
        {
            telemetry.RecordAttempt(result, "passkey");
        }

        var results = capture.Recorded(Meter, "incident.login.attempts").Where(m => m.Tag("incident.login.method") == "passkey").Select(m => m.Tag("incident.login.result"));
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
