using System.Diagnostics;

namespace IncidentDrill;

/// <summary>Progress lines, each stamped with the time since the drill started.</summary>
internal sealed class DrillLog(TextWriter output)
{
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public TimeSpan Elapsed => this.clock.Elapsed;

    /// <summary>Now, on the wall clock (Prometheus's time axis).</summary>
    public static DateTimeOffset Now => DateTimeOffset.UtcNow;

    public void Line(string text)
    {
        lock (output)
        {
            output.WriteLine($"[{Stamp(this.clock.Elapsed)}] {text}");
        }
    }

    public static string Stamp(TimeSpan t) => $"{(int)t.TotalMinutes:D2}:{t.Seconds:D2}";
}
