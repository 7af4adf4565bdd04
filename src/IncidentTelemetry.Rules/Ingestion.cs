namespace IncidentTelemetry.Rules;

/// <summary>How the services' metrics reach the Prometheus-compatible store the rules run on (see <see cref="RulesConfiguration.Ingestion"/>).</summary>
public enum Ingestion
{
    /// <summary>Prometheus scrapes each instance's <c>/metrics</c>: <c>up</c> exists, <c>job</c> is the scrape job. The default.</summary>
    Scrape = 0,

    /// <summary>
    /// The apps push by OTLP (through a Collector or straight into Prometheus' OTLP receiver, Mimir or Thanos Receive):
    /// <c>job</c> is <c>service.namespace/service.name</c> (or <c>service.name</c>), <c>instance</c> is
    /// <c>service.instance.id</c>, there is no <c>up</c>, and a sample arrives every push interval.
    /// </summary>
    Otlp = 1,
}
