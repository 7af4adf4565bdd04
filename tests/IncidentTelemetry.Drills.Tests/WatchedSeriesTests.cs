using IncidentDrill.Report;

namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// The charts draw what an alert watches: the left side of the loaded expression's top-level comparison
/// against its right side, without the guard clauses. The expressions are those Prometheus loads in the drills.
/// </summary>
public sealed class WatchedSeriesTests
{
    [Theory]
    [InlineData(
        "job_instance_pool:db_client_connection_usage:ratio_max1m{job=~\"payment-service\"} > 0.75",
        "job_instance_pool:db_client_connection_usage:ratio_max1m{job=~\"payment-service\"}", ">", 0.75)]
    [InlineData(
        "job:http_server_requests:rate5m{job=~\"payment-service\"} / on (job) job:http_server_requests:rate5m_normal{job=~\"payment-service\"} > 2\nand on (job)\njob:http_server_requests:rate5m{job=~\"payment-service\"} > 1",
        "job:http_server_requests:rate5m{job=~\"payment-service\"} / on (job) job:http_server_requests:rate5m_normal{job=~\"payment-service\"}", ">", 2)]
    [InlineData(
        "(\n  max by (job, instance, db_client_connection_pool_name) (max_over_time(db_client_connection_pending_requests{job=~\"payment-service\"}[4s])) > 0\n  or\n  job_instance_pool:db_client_connection_waits_over_10ms:ratio_rate1m{job=~\"payment-service\"} > 0.1\n)\nand on (job, instance, db_client_connection_pool_name)\njob_instance_pool:db_client_connection_usage:ratio_max1m{job=~\"payment-service\"} > 0.75",
        "max by (job, instance, db_client_connection_pool_name) (max_over_time(db_client_connection_pending_requests{job=~\"payment-service\"}[4s]))", ">", 0)]
    [InlineData(
        "max by (job, instance) (dotnet_process_memory_working_set_bytes{job=~\"order-service\"})\n/ on (job, instance)\nmax by (job, instance) (incident_process_memory_limit_bytes{job=~\"order-service\"} > 0)\n> 0.8",
        "max by (job, instance) (dotnet_process_memory_working_set_bytes{job=~\"order-service\"})\n/ on (job, instance)\nmax by (job, instance) (incident_process_memory_limit_bytes{job=~\"order-service\"} > 0)", ">", 0.8)]
    [InlineData(
        "(\n  job:http_server_requests:rate5m_zscore{job=~\"api-gateway\"} > 3\n  and on (job)\n  job:http_server_requests:rate5m{job=~\"api-gateway\"} > 1\n)\nor\n(\n  job:http_server_requests:rate5m_zscore{job=~\"api-gateway\"} < -3\n  and on (job)\n  job:http_server_requests:rate5m_normal{job=~\"api-gateway\"} > 1\n)",
        "job:http_server_requests:rate5m_zscore{job=~\"api-gateway\"}", ">", 3)]
    [InlineData(
        "count by (job, master_name) (\n  count by (job, master_name, master_address) (count_over_time(redis_sentinel_master_status{job=~\"redis-sentinel\"}[20s]))\n) > 1",
        "count by (job, master_name) (\n  count by (job, master_name, master_address) (count_over_time(redis_sentinel_master_status{job=~\"redis-sentinel\"}[20s]))\n)", ">", 1)]
    [InlineData(
        "sum by (job, instance) (rate(redis_evicted_keys_total{job=~\"redis-sessions\", le!=\"a>b\"}[10s])) >= bool 100 unless on (job) up == 0",
        "sum by (job, instance) (rate(redis_evicted_keys_total{job=~\"redis-sessions\", le!=\"a>b\"}[10s]))", ">=", 100)]
    [InlineData(
        "(\n  (\n    histogram_quantile(0.95, sum by (job, le) (a{job=~\"api-gateway\"}))\n    and on (job)\n    count by (job) (b{job=~\"api-gateway\"} >= 1)\n  )\n  or\n  (\n    c{job=~\"api-gateway\"}\n    unless on (job)\n    count by (job) (b{job=~\"api-gateway\"} >= 1)\n  )\n) > 0.5\nand on (job)\nd{job=~\"api-gateway\"} >= 0.1",
        "(\n    histogram_quantile(0.95, sum by (job, le) (a{job=~\"api-gateway\"}))\n    and on (job)\n    count by (job) (b{job=~\"api-gateway\"} >= 1)\n  )\n  or\n  (\n    c{job=~\"api-gateway\"}\n    unless on (job)\n    count by (job) (b{job=~\"api-gateway\"} >= 1)\n  )", ">", 0.5)]
    public void Of_LoadedAlertExpression_LeftSideAndScalarThreshold(string expression, string left, string op, double threshold)
    {
        var watched = WatchedSeries.Of(expression);

        Assert.Equal(left, watched.Left);
        Assert.Equal(op, watched.Operator);
        Assert.Equal(threshold, watched.Scalar);
    }

    [Fact]
    public void Of_ThresholdIsASeries_RightSideWithoutMatchingModifiers()
    {
        var watched = WatchedSeries.Of(
            "max by (job, instance) (predict_linear(dotnet_process_memory_working_set_bytes{job=~\"order-service\"}[60s], 480))\n> on (job, instance)\nmax by (job, instance) (incident_process_memory_limit_bytes{job=~\"order-service\"} > 0)\nand on (job, instance)\nmax by (job, instance) (dotnet_process_memory_working_set_bytes{job=~\"order-service\"} offset 60s)");

        Assert.Equal("max by (job, instance) (predict_linear(dotnet_process_memory_working_set_bytes{job=~\"order-service\"}[60s], 480))", watched.Left);
        Assert.Equal("max by (job, instance) (incident_process_memory_limit_bytes{job=~\"order-service\"} > 0)", watched.Right);
        Assert.Null(watched.Scalar);
    }

    [Theory]
    [InlineData("up{job=~\"user-service\"} == 0\nor\nabsent(up{job=~\"user-service\"})", "up{job=~\"user-service\"}", "==")]
    [InlineData("absent(up{job=~\"user-service\"})", "absent(up{job=~\"user-service\"})", null)]
    [InlineData("((rate(x_total[1m])))", "rate(x_total[1m])", null)]
    public void Of_NoOrOtherComparison_DrawsWhatThereIs(string expression, string left, string? op)
    {
        var watched = WatchedSeries.Of(expression);

        Assert.Equal(left, watched.Left);
        Assert.Equal(op, watched.Operator);
    }
}
