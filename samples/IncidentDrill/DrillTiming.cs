namespace IncidentDrill;

/// <summary>
/// The drills run the bundled rules at a time scale: every <c>for</c> and range window is divided by
/// <see cref="Scale"/>, so an hour of baseline takes two minutes and a five-minute window ten seconds.
/// </summary>
internal static class DrillTiming
{
    /// <summary>How many times faster than real time the rules run.</summary>
    public const int Scale = 30;

    /// <summary>Normal traffic before the incident, so that baselines ("normal") have history: the 1 h fallback window, scaled.</summary>
    public static readonly TimeSpan Baseline = TimeSpan.FromHours(1) / Scale;

    /// <summary>How long a drill waits for its alerts once the incident starts.</summary>
    public static readonly TimeSpan AlertTimeout = TimeSpan.FromMinutes(3);
}
