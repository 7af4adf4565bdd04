namespace IncidentDrill;

/// <summary>
/// The moment customers are hit, in the review's words (docs/incidents.md), and how the drill observes it: a PromQL
/// query over the drill's own Prometheus (impact is the first second it returns a sample after the build-up began),
/// or, with no query, the drill reports it itself when it sees it (a process killed, a server that stops answering).
/// The lead time of the alerts is measured against it.
/// </summary>
/// <param name="Description">What impact is, for the report: "order P95 reaches 6 s".</param>
/// <param name="Query">PromQL that returns a sample once impact is there; null when the drill observes it itself.</param>
internal sealed record DrillImpact(string Description, string? Query = null);

/// <summary>
/// The timeline a person reads: from the start of the build-up (the incident's first change) to each alert's first
/// firing and to customer impact, in real time and unscaled (the rules run <see cref="DrillTiming.Scale"/> times faster
/// than real time, so a real second of the drill stands for <see cref="DrillTiming.Scale"/> seconds of the incident).
/// </summary>
internal static class LeadTime
{
    /// <summary>The unscaled duration a real (drill) duration stands for.</summary>
    public static TimeSpan Unscaled(TimeSpan real) => real * DrillTiming.Scale;

    /// <summary>Impact minus the first alert: positive when an alert came first (a warning ahead of the customers).</summary>
    public static TimeSpan? Of(TimeSpan? firstAlert, TimeSpan? impact)
        => firstAlert is { } alert && impact is { } hit ? hit - alert : null;

    /// <summary>"+12 s (6 min unscaled)", relative to the build-up's start.</summary>
    public static string Format(TimeSpan sinceBuildUp)
        => $"{Signed(sinceBuildUp)} ({Minutes(Unscaled(sinceBuildUp))} unscaled)";

    /// <summary>"12 s before impact (6 min unscaled)", "4 s after impact (…)".</summary>
    public static string Describe(TimeSpan lead)
        => $"{Math.Abs(lead.TotalSeconds):0} s {(lead >= TimeSpan.Zero ? "before" : "after")} impact ({Minutes(Unscaled(lead.Duration()))} unscaled)";

    /// <summary>Minutes with one decimal: "6.5 min".</summary>
    public static string Minutes(TimeSpan value) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value.TotalMinutes:0.#} min");

    private static string Signed(TimeSpan value) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(value < TimeSpan.Zero ? "-" : "+")}{Math.Abs(value.TotalSeconds):0} s");
}
