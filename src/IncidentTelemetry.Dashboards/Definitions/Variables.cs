using IncidentTelemetry.Dashboards.Model;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>
/// The template variables. Each is filled from a series that really carries its label, filtered by the
/// variables before it, so choosing a service narrows the instances, routes, pools and peers offered.
/// </summary>
internal static class Variables
{
    /// <summary>Services: every instrumented service exposes process_uptime_seconds from start-up.</summary>
    public static readonly VariableSpec Job = new("job", "Service", "process_uptime_seconds", "job", DashboardSettings.AllValue);

    public static readonly VariableSpec Instance = new(
        "instance", "Instance", """process_uptime_seconds{job=~"$job"}""", "instance", DashboardSettings.AllValue);

    public static readonly VariableSpec Route = new(
        "route", "Route", """http_server_request_duration_seconds_count{job=~"$job", instance=~"$instance"}""", "http_route", DashboardSettings.AllValue);

    public static readonly VariableSpec Peer = new(
        "peer", "Peer service", """http_client_request_duration_seconds_count{job=~"$job", instance=~"$instance"}""", "peer_service", DashboardSettings.AllValue);

    public static readonly VariableSpec Pool = new(
        "pool", "Connection pool", """db_client_connection_max{job=~"$job", instance=~"$instance"}""", "db_client_connection_pool_name", DashboardSettings.AllValue);

    /// <summary>redis_exporter's scrape job(s): the Redis and Sentinel series carry no service label.</summary>
    public static readonly VariableSpec RedisJob = new("redis_job", "Redis exporter job", "redis_up", "job", DashboardSettings.RedisJobAllValue);
}
