using IncidentTelemetry.Rules.Rendering;

namespace IncidentTelemetry.Rules;

/// <summary>Renders the bundled rules for a configuration, as a Prometheus rule file or a PrometheusRule manifest.</summary>
public static class RuleRenderer
{
    /// <summary>
    /// Renders the recording rules and, per configured service, its alerts with their labels (severity, team,
    /// service, priority and the configured extras) and annotations (summary, description, runbook_url).
    /// </summary>
    /// <param name="configuration">Services, thresholds and time scale; <see cref="RulesConfiguration.Default"/> for the defaults.</param>
    /// <param name="format">The file format.</param>
    /// <returns>The YAML text.</returns>
    /// <exception cref="RulesConfigurationException">A service lacks what its alerts need (for example a Redis job).</exception>
    public static string Render(RulesConfiguration configuration, RuleFormat format)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return RuleWriter.Write(configuration, format);
    }

    /// <summary>The file name the command-line tool and rules/ use for <paramref name="format"/>.</summary>
    /// <param name="format">The file format.</param>
    /// <returns><c>incident-telemetry.rules.yml</c> or <c>incident-telemetry-prometheusrule.yaml</c>.</returns>
    public static string FileName(RuleFormat format)
        => format == RuleFormat.PrometheusOperator ? "incident-telemetry-prometheusrule.yaml" : "incident-telemetry.rules.yml";
}
