namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>Runs <c>promtool check metrics</c> (the Prometheus text-format parser and linter) on an exposition.</summary>
internal static class PromtoolLint
{
    /// <summary>
    /// Semantic-convention instruments whose names end in <c>.count</c> (for example <c>db.client.connection.count</c>,
    /// <c>dotnet.assembly.count</c>) become gauges named <c>*_count</c>, which promtool's linter flags. The
    /// OpenTelemetry Prometheus exporter produces the same names, and the rules and dashboards depend on them,
    /// so this one finding is accepted for these gauges, and no other. <c>dotnet_thread_pool_thread_count</c> joined
    /// them with OpenTelemetry 1.21.0, which exports the runtime's up-down counters as gauges (1.20.x exported them
    /// as counters named <c>*_total</c>).
    /// </summary>
    public static readonly string[] SemanticConventionCountGauges =
        ["db_client_connection_count", "dotnet_assembly_count", "dotnet_process_cpu_count", "dotnet_timer_count", "dotnet_thread_pool_thread_count"];

    /// <summary>Returns promtool's findings, less the accepted ones above; parse errors always count.</summary>
    public static async Task<IReadOnlyList<string>> FindingsAsync(string exposition)
    {
        var (code, output) = await PrometheusTools.CheckMetricsAsync(exposition);
        var findings = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !SemanticConventionCountGauges.Any(name => line == $"{name} non-histogram and non-summary metrics should not have \"_count\" suffix"))
            .ToList();
        if (code != 0 && findings.Count == 0 && output.Length == 0)
        {
            findings.Add($"promtool exited with {code} and printed nothing");
        }

        return findings;
    }
}
