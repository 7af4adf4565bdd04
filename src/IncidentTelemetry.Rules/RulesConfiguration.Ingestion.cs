namespace IncidentTelemetry.Rules;

/// <summary>How the metrics arrive (the <c>ingestion</c> and <c>pushInterval</c> keys): scraped, or pushed by OTLP.</summary>
public sealed partial class RulesConfiguration
{
    /// <summary>The .NET OTLP exporter's default export interval (<c>OTEL_METRIC_EXPORT_INTERVAL</c> 60000 ms).</summary>
    public static readonly TimeSpan DefaultPushInterval = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Under OTLP ingestion, no range window is shorter than this many push intervals: a window of 2.5 intervals holds
    /// at least two samples under Prometheus 3's left-open windows even when a push is half an interval late.
    /// </summary>
    internal const double PushIntervalsPerWindow = 2.5;

    /// <summary>
    /// How the metrics reach the store the rules run on. <see cref="Rules.Ingestion.Otlp"/> changes the job selectors
    /// (<c>namespace/name</c>), widens every window to hold two pushes, and gives ServiceRestarted and
    /// ServiceMetricsMissing signals that need no <c>up</c> and no stable instance id. Default:
    /// <see cref="Rules.Ingestion.Scrape"/> (the rendered rules are byte-identical to a render without the key).
    /// </summary>
    public Ingestion Ingestion { get; private set; } = Ingestion.Scrape;

    /// <summary>
    /// How often the apps push under OTLP ingestion (their <c>OTEL_METRIC_EXPORT_INTERVAL</c>); real time, not divided by
    /// the time scale. Ignored when scraped. Default: <see cref="DefaultPushInterval"/> (60 s).
    /// </summary>
    public TimeSpan PushInterval { get; private set; } = DefaultPushInterval;

    /// <summary>
    /// The shortest range window the rules may use: <see cref="MinimumWindow"/>, and under OTLP at least
    /// <see cref="PushIntervalsPerWindow"/> push intervals.
    /// </summary>
    internal TimeSpan ShortestWindow
    {
        get
        {
            if (this.Ingestion != Ingestion.Otlp)
            {
                return this.MinimumWindow;
            }

            var pushes = this.PushInterval * PushIntervalsPerWindow;
            return pushes > this.MinimumWindow ? pushes : this.MinimumWindow;
        }
    }

    /// <summary>Sets how the metrics arrive and, for OTLP, how often the apps push.</summary>
    /// <param name="ingestion">Scraped (default) or pushed by OTLP.</param>
    /// <param name="pushInterval">The apps' export interval, greater than zero; null keeps the current one (default 60 s).</param>
    /// <exception cref="RulesConfigurationException">A value is out of range.</exception>
    public RulesConfiguration WithIngestion(Ingestion ingestion, TimeSpan? pushInterval = null)
    {
        var copy = this.Copy();
        copy.SetIngestion(ingestion, pushInterval);
        return copy;
    }

    internal void SetIngestion(Ingestion? ingestion, TimeSpan? pushInterval)
    {
        if (ingestion is { } mode)
        {
            if (!Enum.IsDefined(mode))
            {
                throw new RulesConfigurationException("ingestion", $"'{mode}' is not scrape or otlp");
            }

            this.Ingestion = mode;
        }

        if (pushInterval is { } every)
        {
            if (every <= TimeSpan.Zero)
            {
                throw new RulesConfigurationException("pushInterval", "must be greater than 0");
            }

            this.PushInterval = every;
        }
    }
}
