using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Rules;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down for memory leaks and restarts.</summary>
internal static class RuntimeMemory
{
    public static DashboardSpec Build() => new(
        Slugs.RuntimeMemory,
        "IncidentTelemetry / Runtime & memory",
        "Working set against the memory limit, its growth, and restarts of the chosen services.",
        ["drill-down", "runtime"],
        [Variables.Job, Variables.Instance],
        [
            new("Memory",
            [
                new PanelSpec("Working set and limit", "Working set per instance, with the memory limit (cgroup or GC) as a dashed line.", PanelKind.TimeSeries, "bytes",
                    [
                        new($"max by ({By(Labels.Job, Labels.Instance)}) ({Selector(MetricCatalogue.DotnetWorkingSet, Service)})", Legend(Labels.Job, Labels.Instance) + " working set"),
                        new($"max by ({By(Labels.Job, Labels.Instance, Labels.MemoryLimitSource)}) ({Selector(MetricCatalogue.ProcessMemoryLimit, Service)})", $"{Legend(Labels.Job, Labels.Instance)} limit ({L(Labels.MemoryLimitSource)})", SeriesStyle.Reference),
                    ])
                { Width = 12, Min = 0 },
                SharedPanels.MemoryRatioPanel(12),
                new PanelSpec("Memory growth per hour", "Slope of the working set over the last " + DashboardSettings.MemoryTrendWindow + $", per hour. A steady positive slope is a leak ({AlertName.MemoryGrowthTrend}).", PanelKind.TimeSeries, "bytes",
                    [new($"deriv({Selector(MetricCatalogue.DotnetWorkingSet, Service)}[{DashboardSettings.MemoryTrendWindow}]) * 3600", Legend(Labels.Job, Labels.Instance))])
                { Width = 24 },
            ]),
            new("Restarts",
            [
                SharedPanels.RestartsStat(8),
                new PanelSpec("Uptime", "Seconds since each instance started; drops to zero on a restart.", PanelKind.TimeSeries, "s",
                    [new(Selector(MetricCatalogue.ProcessUptime, Service), Legend(Labels.Job, Labels.Instance))])
                { Width = 8, Min = 0 },
                new PanelSpec("Scrape target up", "Whether Prometheus can scrape each instance's /metrics (1 = up).", PanelKind.Stat, "short",
                    [new(Selector(MetricCatalogue.Up, Service), Legend(Labels.Job, Labels.Instance))])
                { Width = 8, Instant = true },
            ]),
        ],
        Slugs.OthersThan(Slugs.RuntimeMemory));
}
