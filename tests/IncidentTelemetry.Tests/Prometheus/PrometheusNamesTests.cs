using IncidentTelemetry.Prometheus;

namespace IncidentTelemetry.Tests.Prometheus;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("http.server.request.duration", "s", false, "http_server_request_duration_seconds")]
    [InlineData("db.client.connection.timeouts", "{timeout}", true, "db_client_connection_timeouts_total")]
    [InlineData("db.client.connection.count", "{connection}", false, "db_client_connection_count")]
    [InlineData("incident.cache.payload.size", "By", false, "incident_cache_payload_size_bytes")]
    [InlineData("dotnet.gc.heap.total_allocated", "By", true, "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("process.uptime", "s", false, "process_uptime_seconds")]
    [InlineData("queue.latency", "ms", false, "queue_latency_milliseconds")]
    [InlineData("cpu.utilization", "1", false, "cpu_utilization")]
    [InlineData("network.io", "By/s", false, "network_io_bytes_per_second")]
    [InlineData("packets", "{packet}/s", false, "packets_per_second")]
    [InlineData("buffer.size", "KiBy", false, "buffer_size_kibibytes")]
    [InlineData("latency_seconds", "s", false, "latency_seconds")]
    [InlineData("requests_total", "", true, "requests_total")]
    [InlineData("requests", null, true, "requests_total")]
    [InlineData("sent_total", "By", true, "sent_bytes_total")]
    [InlineData("2fast.for-you", "ms", false, "_2fast_for_you_milliseconds")]
    [InlineData("a..b", "", false, "a_b")]
    public void MetricName_OpenTelemetryInstrument_TranslatesLikeTheSpecification(string name, string? unit, bool counter, string expected)
        => Assert.Equal(expected, PrometheusNames.MetricName(name, unit, counter));

    [Theory]
    [InlineData("http.route", "http_route")]
    [InlineData("db.client.connection.pool.name", "db_client_connection_pool_name")]
    [InlineData("9lives", "_9lives")]
    [InlineData("weird key!", "weird_key_")]
    public void LabelName_AttributeKey_IsValidPrometheusLabel(string key, string expected)
        => Assert.Equal(expected, PrometheusNames.LabelName(key));
}
