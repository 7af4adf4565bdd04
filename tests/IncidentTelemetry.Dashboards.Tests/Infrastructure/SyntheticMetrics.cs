using System.Globalization;
using System.Text;

namespace IncidentTelemetry.Dashboards.Tests.Infrastructure;

/// <summary>
/// Two hours of scrapes, as OpenMetrics text for <c>promtool tsdb create-blocks-from openmetrics</c>, of two
/// services, a session Redis and its Sentinel, shaped like the real exposition (names and labels of the
/// catalogue, histogram buckets, two meters reporting one pool), with one restart and one Sentinel failover in the last hour,
/// some errors and one firing alert. A real Prometheus then answers the dashboards' queries from it.
/// </summary>
internal sealed class SyntheticMetrics
{
    public const int StepSeconds = 15;

    private static readonly double[] LatencyBounds = [0.1, 0.5, 1, 2];
    private static readonly double[] LatencyShares = [0.6, 0.9, 0.97, 0.99];
    private static readonly double[] SizeBounds = [256, 1024, 4096, 16384];
    private static readonly double[] SizeShares = [0.2, 0.7, 0.95, 0.99];

    private readonly StringBuilder text = new();
    private readonly long start;
    private readonly long end;

    public SyntheticMetrics(long endUnixSeconds, TimeSpan duration)
    {
        this.end = endUnixSeconds;
        this.start = endUnixSeconds - (long)duration.TotalSeconds;
    }

    public string Build()
    {
        this.Service("order-service", "10.0.0.1:8080", restarts: true);
        this.Service("inventory-service", "10.0.0.2:8080", restarts: false);
        this.Redis();
        this.Gauge("ALERTS", new() { ["alertname"] = "RedisMemoryHigh", ["alertstate"] = "firing", ["severity"] = "warning", ["job"] = "redis-sessions" }, _ => 1);
        this.text.Append("# EOF\n");
        return this.text.ToString();
    }

    private void Service(string job, string instance, bool restarts)
    {
        Dictionary<string, string> Labels(string scope, params (string Key, string Value)[] extra)
        {
            var labels = new Dictionary<string, string> { ["job"] = job, ["instance"] = instance, ["otel_scope_name"] = scope };
            foreach (var (key, value) in extra)
            {
                labels[key] = value;
            }

            return labels;
        }

        const string Hosting = "Microsoft.AspNetCore.Hosting";
        foreach (var route in new[] { "/orders/{id}", "/catalog/items/{id:int}" })
        {
            this.Histogram("http_server_request_duration_seconds", Labels(Hosting, ("http_route", route), ("http_request_method", "GET"), ("http_response_status_code", "200"), ("url_scheme", "http")), 20, 0.08, LatencyBounds, LatencyShares);
            this.Histogram("http_server_request_duration_seconds", Labels(Hosting, ("http_route", route), ("http_request_method", "GET"), ("http_response_status_code", "500"), ("error_type", "500"), ("url_scheme", "http")), 0.5, 0.3, LatencyBounds, LatencyShares);
        }

        this.Gauge("http_server_active_requests", Labels(Hosting, ("http_request_method", "GET"), ("url_scheme", "http")), t => 3 + (t % 5));

        const string Http = "System.Net.Http";
        this.Histogram("http_client_request_duration_seconds", Labels(Http, ("peer_service", "inventory-service"), ("server_address", "inventory"), ("server_port", "8080"), ("http_request_method", "GET"), ("http_response_status_code", "200")), 8, 0.12, LatencyBounds, LatencyShares);
        this.Histogram("http_client_request_duration_seconds", Labels(Http, ("peer_service", "inventory-service"), ("server_address", "inventory"), ("server_port", "8080"), ("http_request_method", "GET"), ("error_type", "System.Threading.Tasks.TaskCanceledException")), 0.1, 5, LatencyBounds, LatencyShares);

        const string Database = "IncidentTelemetry.Database";
        const string Pool = "db_client_connection_pool_name";
        this.Histogram("db_client_connection_wait_time_seconds", Labels(Database, (Pool, "inventory-db")), 10, 0.02, LatencyBounds, LatencyShares);
        this.Histogram("db_client_connection_use_time_seconds", Labels(Database, (Pool, "inventory-db")), 10, 0.05, LatencyBounds, LatencyShares);
        this.Gauge("db_client_connection_count", Labels(Database, (Pool, "inventory-db"), ("db_client_connection_state", "used")), t => 20 + (t / 300 % 30));
        this.Gauge("db_client_connection_max", Labels(Database, (Pool, "inventory-db")), _ => 50);

        this.Gauge("db_client_connection_pending_requests", Labels(Database, (Pool, "inventory-db")), t => t % 3);
        this.Counter("db_client_connection_timeouts_total", Labels(Database, (Pool, "inventory-db")), 0.01);
        this.Histogram("db_client_operation_duration_seconds", Labels(Database, ("db_system_name", "postgresql"), (Pool, "inventory-db"), ("db_operation_name", "SELECT")), 10, 0.05, LatencyBounds, LatencyShares);

        const string RedisClient = "IncidentTelemetry.Redis";
        this.Counter("incident_redis_client_primary_changes_total", Labels(RedisClient, ("redis_name", "sessions")), 0.001);
        this.Counter("incident_redis_client_connection_restores_total", Labels(RedisClient, ("redis_name", "sessions")), 0.002);
        this.Counter("incident_redis_client_connection_failures_total", Labels(RedisClient, ("redis_name", "sessions"), ("error_type", "socket_failure")), 0.004);

        const string Caching = "IncidentTelemetry.Caching";
        foreach (var operation in new[] { "read", "write" })
        {
            this.Histogram("incident_cache_payload_size_bytes", Labels(Caching, ("incident_cache_name", "sessions"), ("incident_cache_operation", operation)), 5, 2000, SizeBounds, SizeShares);
            this.Histogram("incident_cache_operation_duration_seconds", Labels(Caching, ("incident_cache_name", "sessions"), ("incident_cache_operation", operation)), 5, 0.002, LatencyBounds, LatencyShares);
        }

        this.Histogram("incident_cache_operation_duration_seconds", Labels(Caching, ("incident_cache_name", "sessions"), ("incident_cache_operation", "read"), ("error_type", "timeout")), 0.05, 1, LatencyBounds, LatencyShares);

        const string Authentication = "IncidentTelemetry.Authentication";
        this.Counter("incident_login_attempts_total", Labels(Authentication, ("incident_login_result", "success"), ("incident_login_method", "password")), 2);
        this.Counter("incident_login_attempts_total", Labels(Authentication, ("incident_login_result", "failure"), ("incident_login_method", "password")), 0.2);
        this.Counter("aspnetcore_identity_sign_in_check_password_attempts_total", Labels("Microsoft.AspNetCore.Identity", ("aspnetcore_identity_sign_in_result", "success"), ("aspnetcore_identity_user_type", "IdentityUser")), 2);

        const string Process = "IncidentTelemetry.Process";
        var restart = this.end - this.start - 2400; // 40 minutes before the end

        this.Gauge("incident_process_memory_limit_bytes", Labels(Process, ("incident_memory_limit_source", "cgroup")), _ => 2L << 30);
        this.Gauge("process_uptime_seconds", Labels(Process), t => restarts && t >= restart ? t - restart : t + 600);
        this.Gauge("dotnet_process_memory_working_set_bytes", Labels("System.Runtime"), t => (400L << 20) + (t * 30_000));
        this.Gauge("up", new() { ["job"] = job, ["instance"] = instance }, _ => 1);
    }

    private void Redis()
    {
        var redis = new Dictionary<string, string> { ["job"] = "redis-sessions", ["instance"] = "redis://10.0.0.5:6379" };
        var sentinel = new Dictionary<string, string> { ["job"] = "redis-sessions", ["instance"] = "redis://10.0.0.5:26379" };
        this.Gauge("redis_memory_used_bytes", redis, t => (600L << 20) + (t * 20_000));
        this.Gauge("redis_memory_max_bytes", redis, _ => 1L << 30);
        this.Counter("redis_evicted_keys_total", redis, 3);
        this.Gauge("redis_up", redis, _ => 1);
        this.Gauge("redis_up", sentinel, _ => 1);

        // Failover half an hour before the end: the master's address changes.
        var failover = this.end - this.start - 1800;
        this.Gauge("redis_sentinel_master_status", new(sentinel) { ["master_name"] = "mymaster", ["master_address"] = "10.0.0.6:6379", ["master_status"] = "ok" }, _ => 1, until: failover);
        this.Gauge("redis_sentinel_master_status", new(sentinel) { ["master_name"] = "mymaster", ["master_address"] = "10.0.0.7:6379", ["master_status"] = "ok" }, _ => 1, from: failover);
    }

    /// <summary>A histogram observed <paramref name="perSecond"/> times a second, each about <paramref name="mean"/>.</summary>
    private void Histogram(string name, Dictionary<string, string> labels, double perSecond, double mean, double[] bounds, double[] shares)
    {
        for (var i = 0; i < bounds.Length; i++)
        {
            var share = shares[i];
            this.Counter(name + "_bucket", new(labels) { ["le"] = Format(bounds[i]) }, perSecond * share);
        }

        this.Counter(name + "_bucket", new(labels) { ["le"] = "+Inf" }, perSecond);
        this.Counter(name + "_count", labels, perSecond);
        this.Counter(name + "_sum", labels, perSecond * mean);
    }

    private void Counter(string name, Dictionary<string, string> labels, double perSecond) => this.Gauge(name, labels, t => Math.Floor(perSecond * t));

    private void Gauge(string name, Dictionary<string, string> labels, Func<long, double> value, long from = 0, long until = long.MaxValue)
    {
        var labelText = string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""));
        for (var t = this.start; t <= this.end; t += StepSeconds)
        {
            var offset = t - this.start;
            if (offset >= from && offset < until)
            {
                this.text.Append(CultureInfo.InvariantCulture, $"{name}{{{labelText}}} {Format(value(offset))} {t}\n");
            }
        }
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
