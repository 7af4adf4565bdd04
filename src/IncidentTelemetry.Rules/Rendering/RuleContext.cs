using System.Globalization;

namespace IncidentTelemetry.Rules.Rendering;

/// <summary>
/// Turns the durations written in the rule definitions into what is rendered: divided by the time scale,
/// windows clamped to the minimum window, in Prometheus syntax; and quotes selectors built from configuration.
/// </summary>
internal sealed class RuleContext(RulesConfiguration configuration)
{
    public RulesConfiguration Configuration { get; } = configuration;

    /// <summary>Every configured service's job selector, as one alternation for the recording rules.</summary>
    public string AllJobs => string.Join('|', this.Configuration.Services.Select(s => s.Job).Distinct(StringComparer.Ordinal));

    /// <summary>A range window or offset, scaled and never below the minimum window.</summary>
    public string Window(string duration)
    {
        var scaled = PromDuration.Parse(duration) / this.Configuration.TimeScale;
        return PromDuration.Format(scaled < this.Configuration.MinimumWindow ? this.Configuration.MinimumWindow : scaled);
    }

    /// <summary>A <c>for</c> duration, scaled; null when the alert fires at once.</summary>
    public string? For(TimeSpan duration)
        => duration <= TimeSpan.Zero ? null : PromDuration.Format(duration / this.Configuration.TimeScale);

    /// <summary>A number of seconds that stands for a duration (a prediction horizon), scaled.</summary>
    public string Seconds(double seconds) => Number(Math.Round(seconds / this.Configuration.TimeScale, 3));

    /// <summary>A PromQL double-quoted string literal.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A number as PromQL and the alert texts write it (invariant culture, shortest round-trip form).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A ratio as a percentage for alert texts (0.75 → 75%).</summary>
    public static string Percent(double ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>Seconds as milliseconds when below a second, for alert texts (0.1 → 100ms, 1 → 1s).</summary>
    public static string Latency(double seconds)
        => seconds < 1 ? (seconds * 1000).ToString("0.##", CultureInfo.InvariantCulture) + "ms" : Number(seconds) + "s";
}
