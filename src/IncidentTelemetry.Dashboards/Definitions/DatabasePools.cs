using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Rules;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down per connection pool, and database operation latency.</summary>
internal static class DatabasePools
{
    private static readonly string ByPool = By(Labels.Job, Labels.DbConnectionPoolName);

    public static DashboardSpec Build() => new(
        Slugs.DatabasePools,
        "IncidentTelemetry / Database pools",
        $"Connection pools of the chosen services (db.client.connection.*) and database operation latency ({InstrumentNames.DbOperationDuration}).",
        ["drill-down", "database"],
        [Variables.Job, Variables.Instance, Variables.Pool],
        [
            new("Pool capacity",
            [
                SharedPanels.PoolUtilisationPanel(12),
                new PanelSpec("Connections by state", "Connections in use per pool, with the pool maximum as a dashed line.", PanelKind.TimeSeries, "short",
                    [
                        new($"max by ({By(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName, Labels.DbConnectionState)}) ({Selector(MetricCatalogue.DbConnectionCount, Pool)})", Legend(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName, Labels.DbConnectionState)),
                        new($"max by ({By(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName)}) ({Selector(MetricCatalogue.DbConnectionMax, Pool)})", Legend(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName) + " max", SeriesStyle.Reference),
                    ])
                { Width = 12, Min = 0 },
            ]),
            new("Waiting for a connection",
            [
                SharedPanels.PoolWaitPanel(8),
                new PanelSpec("Connection wait P95", "P95 time to get a connection from the pool.", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, PoolWait, ByPool, Pool), Legend(Labels.Job, Labels.DbConnectionPoolName))])
                { Width = 8, Min = 0 },
                new PanelSpec("Pending requests", "Callers waiting for a connection right now. Is the pool exhausted?", PanelKind.TimeSeries, "short",
                    [new($"max by ({By(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName)}) ({Selector(MetricCatalogue.DbConnectionPendingRequests, Pool)})", Legend(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName))])
                { Width = 8, Min = 0 },
                new PanelSpec("Connection timeouts", "Callers per second that gave up waiting for a connection (0 while none did): requests are already failing.", PanelKind.TimeSeries, "cps",
                    [new(OrZero(SumRate(ByPool, MetricCatalogue.DbConnectionTimeouts, Pool), $"sum by ({ByPool}) ({Selector(MetricCatalogue.DbConnectionMax, Pool)})"), Legend(Labels.Job, Labels.DbConnectionPoolName))])
                { Width = 12, Min = 0 },
                new PanelSpec("Connection hold time P95", "P95 time a connection stays checked out. Do slow queries or leaks hold connections?", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, PoolUse, ByPool, Pool), Legend(Labels.Job, Labels.DbConnectionPoolName))])
                { Width = 12, Min = 0 },
            ]),
            new("Database operations",
            [
                new PanelSpec("Operation P95 by operation", "P95 database operation latency per pool and operation (first SQL keyword). Did a query get slow?", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, DbOperations, By(Labels.Job, Labels.DbConnectionPoolName, Labels.DbOperationName), Pool), Legend(Labels.Job, Labels.DbConnectionPoolName, Labels.DbOperationName))])
                {
                    Width = 12,
                    Min = 0,
                    Thresholds = [new(AlertThresholds.DatabaseOperationP95Seconds, "red", AlertName.DatabaseQueryLatencyP95High)],
                },
                new PanelSpec("Operations by operation", "Database operations per second per pool, operation and error type.", PanelKind.TimeSeries, "ops",
                    [new(SumRate(By(Labels.Job, Labels.DbConnectionPoolName, Labels.DbOperationName, Labels.ErrorType), DbOperations.Count, Pool), Legend(Labels.Job, Labels.DbConnectionPoolName, Labels.DbOperationName, Labels.ErrorType))])
                { Width = 12, Min = 0 },
            ]),
        ],
        Slugs.OthersThan(Slugs.DatabasePools));
}
