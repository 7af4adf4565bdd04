namespace IncidentTelemetry.Tests.Process;

/// <summary>A clock the test moves by hand (Microsoft.Extensions.TimeProvider.Testing is not needed for this much).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long ticks = 1_000_000;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref this.ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref this.ticks, by.Ticks);
}
