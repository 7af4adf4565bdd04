using IncidentTelemetry.Rules.Rendering;
using static IncidentTelemetry.Rules.Rendering.RuleContext;
using M = IncidentTelemetry.Catalogue.MetricCatalogue;

namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// ServiceRestarted and ServiceMetricsMissing when the apps push by OTLP (<see cref="Ingestion.Otlp"/>). The receivers'
/// translation (Prometheus' OTLP receiver, Mimir, the Collector's Prometheus exporters) writes no <c>up</c>, makes
/// <c>instance</c> the <c>service.instance.id</c> (the library's default <c>{host}-{pid}</c> changes with every
/// process), and writes each resource's attributes on <c>target_info</c> (<c>service.version</c> as
/// <c>service_version</c>) with every push. Both signals are built from what every instrumented app pushes: the
/// library's process uptime, and the resource.
/// </summary>
internal static class OtlpSignals
{
    /// <summary>The series the OTLP translation writes per resource (job, instance and the other resource attributes).</summary>
    public const string TargetInfo = "target_info";

    /// <summary>The resource attribute <c>service.version</c> as the underscore-escaping translation writes it on target_info.</summary>
    public const string ServiceVersion = "service_version";

    /// <summary>
    /// A restart: the process uptime of an instance went back to zero (a stable <c>service.instance.id</c>, such as a
    /// pod name), or an instance started within the window while another instance of the job with the same
    /// <c>service.version</c> stopped pushing in it (the id changed with the process). A rolling deploy brings a new
    /// version and a scale-out stops no instance: neither is a restart.
    /// </summary>
    public static string Restarted(RuleContext c, ServiceConfiguration s)
    {
        var job = c.Job(s);
        var recent = c.ShortestWindow;
        return
            $"sum by (job, instance) (resets({M.ProcessUptime}{{{job}}}[{c.Window("15m")}])) > 0\n" +
            $"or\n" +
            $"count by (job, instance) (\n" +
            $"  (\n" +
            $"    max by (job, instance, {ServiceVersion}) ({TargetInfo}{{{job}}})\n" +
            $"    and on (job, instance)\n" +
            $"    max by (job, instance) (max_over_time({M.ProcessUptime}{{{job}}}[{recent}])) < {c.Seconds(15 * 60)}\n" +
            $"  )\n" +
            $"  and on (job, {ServiceVersion})\n" +
            $"  count by (job, {ServiceVersion}) (\n" +
            $"    present_over_time({TargetInfo}{{{job}}}[{c.Window("15m")}])\n" +
            $"    unless\n" +
            $"    present_over_time({TargetInfo}{{{job}}}[{recent}])\n" +
            $"  )\n" +
            $")";
    }

    public static string RestartedDescription(RuleContext c, ServiceConfiguration s)
        => $"{{{{ $labels.instance }}}} started within the last {c.Window("15m")}: its process uptime went back to zero, or it replaced an instance of {s.Display} with the same service.version that stopped pushing. Was it OOM-killed or crashing?";

    /// <summary>
    /// Metrics missing: where (per aggregation label: a cluster) any app pushed its process uptime within the shortest
    /// window, none of the service's instances did. Without aggregation labels the place is the whole store. Only
    /// when no app pushes at all does the last resort fire, without labels. A single instance that stops pushing is
    /// not reported: under OTLP a scale-in or a deploy looks the same.
    /// </summary>
    public static string MetricsMissing(RuleContext c, ServiceConfiguration s)
    {
        var recent = c.ShortestWindow;
        var anyApp = $"present_over_time({M.ProcessUptime}{{job!=\"\"{c.Labelled}}}[{recent}])";
        var service = $"present_over_time({M.ProcessUptime}{{{c.Job(s)}}}[{recent}])";
        var nothing = $"absent_over_time({M.ProcessUptime}{{job!=\"\"}}[{recent}])";
        if (s.SharedBy is null)
        {
            return $"(\n  count by () ({anyApp})\n  unless on ()\n  count by () ({service})\n)\nor\n{nothing}";
        }

        // Rules shared by several services list each one as a series of the places that should have it, and compare
        // by name: the namespace the receiver put before the name is dropped first.
        var places = string.Join("\n    or\n    ", s.SharedBy.Select(name => $"label_replace(count by () ({anyApp}), \"job\", {Quote(name)}, \"\", \"\")"));
        return $"(\n  (\n    {places}\n  )\n" +
               $"  unless on (job)\n  count by (job) (label_replace({service}, \"job\", \"$1\", \"job\", \"(?:.+/)?(.+)\"))\n)\n" +
               $"or\n{nothing}";
    }

    public static string MetricsMissingDescription(RuleContext c, ServiceConfiguration s)
        => $"No instance of {s.Display} (job {(s.SharedBy is null ? s.Job : s.Display)}, under any service.namespace) pushed its metrics in the last {c.ShortestWindow}: every other alert of the service is blind there.";
}
