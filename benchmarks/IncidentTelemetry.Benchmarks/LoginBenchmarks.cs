using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using IncidentTelemetry.Authentication;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// Recording one login attempt through <see cref="ILoginTelemetry"/> (what <c>WithLoginTelemetry(...)</c> calls per
/// login request), with a real MeterProvider listening, for a known method and for an invalid one (counted as _OTHER).
/// </summary>
[MemoryDiagnoser]
public class LoginBenchmarks : IDisposable
{
    private ServiceProvider services = null!;
    private LoginMetrics logins = null!;
    private MeterProvider? provider;

    [GlobalSetup]
    public void Setup()
    {
        this.provider = MetricsListening.Start();
        this.services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        this.logins = new LoginMetrics(this.services.GetRequiredService<IMeterFactory>());
        this.RecordAttempt_Password();
        using var probe = new Meter(Internal.MetricsConstants.LoginMeterName);
        MetricsListening.Require(probe.CreateCounter<long>("incident.login.attempts"), enabled: true);
    }

    /// <summary>BenchmarkDotNet's global cleanup.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        this.logins?.Dispose();
        this.services?.Dispose();
        this.provider?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void RecordAttempt_Password() => this.logins.RecordAttempt(LoginResult.Failure, "password");

    [Benchmark]
    public void RecordAttempt_InvalidMethod() => this.logins.RecordAttempt(LoginResult.Success, "Not A Method");
}
