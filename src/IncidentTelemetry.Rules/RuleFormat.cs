namespace IncidentTelemetry.Rules;

/// <summary>The deployment format <see cref="RuleRenderer"/> writes.</summary>
public enum RuleFormat
{
    /// <summary>A Prometheus rule file (<c>groups:</c>), for <c>rule_files</c> in prometheus.yml.</summary>
    Prometheus,

    /// <summary>A prometheus-operator <c>PrometheusRule</c> manifest (apiVersion monitoring.coreos.com/v1).</summary>
    PrometheusOperator,
}
