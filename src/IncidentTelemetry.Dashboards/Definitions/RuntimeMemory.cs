using IncidentTelemetry.Dashboards.Model;
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
                        new($"max by (job, instance) ({Selector("dotnet_process_memory_working_set_bytes", Service)})", "{{job}} {{instance}} working set"),
                        new($"max by (job, instance, incident_memory_limit_source) ({Selector("incident_process_memory_limit_bytes", Service)})", "{{job}} {{instance}} limit ({{incident_memory_limit_source}})", SeriesStyle.Reference),
                    ])
                { Width = 12, Min = 0 },
                SharedPanels.MemoryRatioPanel(12),
                new PanelSpec("Memory growth per hour", "Slope of the working set over the last " + DashboardSettings.MemoryTrendWindow + ", per hour. A steady positive slope is a leak (MemoryGrowthTrend).", PanelKind.TimeSeries, "bytes",
                    [new($"deriv({Selector("dotnet_process_memory_working_set_bytes", Service)}[{DashboardSettings.MemoryTrendWindow}]) * 3600", "{{job}} {{instance}}")])
                { Width = 24 },
            ]),
            new("Restarts",
            [
                SharedPanels.RestartsStat(8),
                new PanelSpec("Uptime", "Seconds since each instance started; drops to zero on a restart.", PanelKind.TimeSeries, "s",
                    [new(Selector("process_uptime_seconds", Service), "{{job}} {{instance}}")])
                { Width = 8, Min = 0 },
                new PanelSpec("Scrape target up", "Whether Prometheus can scrape each instance's /metrics (1 = up).", PanelKind.Stat, "short",
                    [new(Selector("up", Service), "{{job}} {{instance}}")])
                { Width = 8, Instant = true },
            ]),
        ],
        Slugs.OthersThan(Slugs.RuntimeMemory));
}
