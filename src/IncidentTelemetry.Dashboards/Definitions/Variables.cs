using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>
/// The template variables. Each is filled from a series that really carries its label, filtered by the
/// variables before it, so choosing a service narrows the instances, routes, pools and peers offered.
/// </summary>
internal static class Variables
{
    private static readonly string JobOnly = Match(Labels.Job, "job");
    private static readonly string JobAndInstance = $"{JobOnly}, {Match(Labels.Instance, "instance")}";

    /// <summary>Services: every instrumented service exposes the process uptime from start-up.</summary>
    public static readonly VariableSpec Job = new("job", "Service", MetricCatalogue.ProcessUptime.Name, Labels.Job.Name, DashboardSettings.AllValue);

    public static readonly VariableSpec Instance = new(
        "instance", "Instance", Selector(MetricCatalogue.ProcessUptime, JobOnly), Labels.Instance.Name, DashboardSettings.AllValue);

    public static readonly VariableSpec Route = new(
        "route", "Route", Selector(MetricCatalogue.HttpServerRequestDuration.Count, JobAndInstance), Labels.HttpRoute.Name, DashboardSettings.AllValue);

    public static readonly VariableSpec Peer = new(
        "peer", "Peer service", Selector(MetricCatalogue.HttpClientRequestDuration.Count, JobAndInstance), Labels.PeerService.Name, DashboardSettings.AllValue);

    public static readonly VariableSpec Pool = new(
        "pool", "Connection pool", Selector(MetricCatalogue.DbConnectionMax, JobAndInstance), Labels.DbConnectionPoolName.Name, DashboardSettings.AllValue);

    /// <summary>redis_exporter's scrape job(s): the Redis and Sentinel series carry no service label.</summary>
    public static readonly VariableSpec RedisJob = new("redis_job", "Redis exporter job", MetricCatalogue.RedisUp.Name, Labels.Job.Name, DashboardSettings.RedisJobAllValue);
}
