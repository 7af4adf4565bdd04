using IncidentTelemetry.Dashboards.Model;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down per connection pool, and database operation latency.</summary>
internal static class DatabasePools
{
    private const string ByPool = "job, db_client_connection_pool_name";

    public static DashboardSpec Build() => new(
        Slugs.DatabasePools,
        "IncidentTelemetry / Database pools",
        "Connection pools of the chosen services (db.client.connection.*) and database operation latency (db.client.operation.duration).",
        ["drill-down", "database"],
        [Variables.Job, Variables.Instance, Variables.Pool],
        [
            new("Pool capacity",
            [
                SharedPanels.PoolUtilisationPanel(12),
                new PanelSpec("Connections by state", "Connections in use per pool, with the pool maximum as a dashed line.", PanelKind.TimeSeries, "short",
                    [
                        new($"max by (job, instance, db_client_connection_pool_name, db_client_connection_state) ({Selector("db_client_connection_count", Pool)})", "{{job}} {{instance}} {{db_client_connection_pool_name}} {{db_client_connection_state}}"),
                        new($"max by (job, instance, db_client_connection_pool_name) ({Selector("db_client_connection_max", Pool)})", "{{job}} {{instance}} {{db_client_connection_pool_name}} max", SeriesStyle.Reference),
                    ])
                { Width = 12, Min = 0 },
            ]),
            new("Waiting for a connection",
            [
                SharedPanels.PoolWaitPanel(8),
                new PanelSpec("Connection wait P95", "P95 time to get a connection from the pool.", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, PoolWait, ByPool, Pool), "{{job}} {{db_client_connection_pool_name}}")])
                { Width = 8, Min = 0 },
                new PanelSpec("Pending requests", "Callers waiting for a connection right now. Is the pool exhausted?", PanelKind.TimeSeries, "short",
                    [new($"max by (job, instance, db_client_connection_pool_name) ({Selector("db_client_connection_pending_requests", Pool)})", "{{job}} {{instance}} {{db_client_connection_pool_name}}")])
                { Width = 8, Min = 0 },
                new PanelSpec("Connection timeouts", "Callers per second that gave up waiting for a connection (0 while none did): requests are already failing.", PanelKind.TimeSeries, "cps",
                    [new(OrZero(SumRate(ByPool, "db_client_connection_timeouts_total", Pool), $"sum by ({ByPool}) ({Selector("db_client_connection_max", Pool)})"), "{{job}} {{db_client_connection_pool_name}}")])
                { Width = 12, Min = 0 },
                new PanelSpec("Connection hold time P95", "P95 time a connection stays checked out. Do slow queries or leaks hold connections?", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, PoolUse, ByPool, Pool), "{{job}} {{db_client_connection_pool_name}}")])
                { Width = 12, Min = 0 },
            ]),
            new("Database operations",
            [
                new PanelSpec("Operation P95 by operation", "P95 database operation latency per pool and operation (first SQL keyword). Did a query get slow?", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, DbOperations, "job, db_client_connection_pool_name, db_operation_name", Pool), "{{job}} {{db_client_connection_pool_name}} {{db_operation_name}}")])
                {
                    Width = 12,
                    Min = 0,
                    Thresholds = [new(AlertThresholds.DatabaseOperationP95Seconds, "red", "DatabaseQueryLatencyP95High")],
                },
                new PanelSpec("Operations by operation", "Database operations per second per pool, operation and error type.", PanelKind.TimeSeries, "ops",
                    [new(SumRate("job, db_client_connection_pool_name, db_operation_name, error_type", DbOperations + "_count", Pool), "{{job}} {{db_client_connection_pool_name}} {{db_operation_name}} {{error_type}}")])
                { Width = 12, Min = 0 },
            ]),
        ],
        Slugs.OthersThan(Slugs.DatabasePools));
}
