using IncidentTelemetry.Rules.Rendering;
using static IncidentTelemetry.Rules.Rendering.RuleContext;
using M = IncidentTelemetry.Catalogue.MetricCatalogue;
using L = IncidentTelemetry.Catalogue.Labels;
using R = IncidentTelemetry.Rules.Definitions.Recorded;
using T = IncidentTelemetry.Rules.Definitions.Threshold;

namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// Every bundled alert. Thresholds and windows come from the service configuration and the context (time scale),
/// never from the text here; docs/alerts.md explains each one and docs/runbooks/ has its runbook. Conditions held
/// by a <c>for</c> are measured over one minute, so that the <c>for</c> is the duration the reviews state. Where a
/// review says "at" a value the comparison is <c>&gt;=</c>, where it says "above" it is <c>&gt;</c>.
/// </summary>
internal static class AlertCatalog
{
    public static readonly IReadOnlyList<AlertDefinition> All =
    [
        // w50-1: payment-service exhausted its connection pool during a 3x traffic spike.
        new(AlertName.ConnectionPoolUtilisationHigh, "warning", TimeSpan.FromMinutes(5),
            (c, s) => $"{R.PoolUsage}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.PoolUtilisationWarning))}",
            (c, s) => $"{s.Display}: connection pool {{{{ $labels.{L.DbConnectionPoolName} }}}} at {Percent(s.ThresholdOf(T.PoolUtilisationWarning))} in use or more",
            (c, s) => $"Pool {{{{ $labels.{L.DbConnectionPoolName} }}}} on {{{{ $labels.instance }}}} had {{{{ $value | humanizePercentage }}}} of its connections in use at its busiest in each {c.Window("1m")} (warning at {Percent(s.ThresholdOf(T.PoolUtilisationWarning))}). Requests will soon queue for a connection."),
        new(AlertName.ConnectionPoolUtilisationCritical, "critical", TimeSpan.FromMinutes(2),
            (c, s) => $"{R.PoolUsage}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.PoolUtilisationCritical))}",
            (c, s) => $"{s.Display}: connection pool {{{{ $labels.{L.DbConnectionPoolName} }}}} nearly exhausted",
            (c, s) => $"Pool {{{{ $labels.{L.DbConnectionPoolName} }}}} on {{{{ $labels.instance }}}} had {{{{ $value | humanizePercentage }}}} of its connections in use at its busiest in each {c.Window("1m")} (critical at {Percent(s.ThresholdOf(T.PoolUtilisationCritical))}). Requests are queueing or about to time out."),
        // Issue 20: on a 20-minute ramp the utilisation alerts came 6.5-8.5 minutes before the first pool timeout; the
        // review asked for visibility before the pool was exhausted. Little's law: the connections in use are the
        // request rate times the time each request holds one. The pool's mean use over five minutes, divided by the
        // service's request rate over the same five minutes (the hold per request), times where the request rate is
        // heading (its linear trend over five minutes, extrapolated the horizon ahead), is the use the pool will see if
        // traffic keeps climbing. Only a climb counts: the trend must reach PoolExhaustionMinimumGrowth times the rate
        // (the morning ramp grows at most about 1.25 times in 20 minutes), so that noise in a flat rate never turns a
        // busy pool (a nightly batch at 80 %) into a prediction (at 1.25 with a 2-minute for it did, twice in a
        // simulated week; the 3 minutes hold it through a scrape's noise), and a step
        // that is not traffic (the batch taking 40 of 50 connections at once) does not move the request rate. The trend
        // of the used connections themselves was tried first: a count of connections in use is a noisy gauge (at 30 of
        // 50 a scrape swings by about 5), its five-minute trend extrapolated 20 minutes swung by more than the pool's
        // size, and that alert came only 7 minutes ahead of the first timeout in the simulation.
        new(AlertName.ConnectionPoolExhaustionPredicted, "warning", TimeSpan.FromMinutes(3),
            (c, s) =>
                $"(\n  max by ({R.Pool}) (avg_over_time({M.DbConnectionCount}{{{c.Job(s)}, {L.DbConnectionState}=\"used\"}}[{c.Window("5m")}]))\n" +
                $"  / on ({R.Pool})\n" +
                $"  (max by ({R.Pool}) ({M.DbConnectionMax}{{{c.Job(s)}}}) > 0)\n)\n" +
                $"* on (job) group_left ()\n" +
                $"(\n  predict_linear({R.RequestsNow}{{{c.Job(s)}}}[{c.Window("5m")}], {c.Seconds(PoolExhaustionHorizonMinutes * 60)})\n" +
                $"  / on (job)\n" +
                $"  ({R.Requests}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))})\n" +
                $"  >= {Number(PoolExhaustionMinimumGrowth)}\n)\n" +
                $">= 1\n" +
                $"and on ({R.Pool})\n" +
                $"{R.PoolUsage}{{{c.Job(s)}}} >= {Number(PoolExhaustionMinimumUsage)}",
            (c, s) => $"{s.Display}: connection pool {{{{ $labels.{L.DbConnectionPoolName} }}}} on course to be exhausted within {Number(PoolExhaustionHorizonMinutes)} minutes",
            (c, s) => $"If the traffic of {s.Display} keeps climbing as it did over the last {c.Window("5m")}, pool {{{{ $labels.{L.DbConnectionPoolName} }}}} on {{{{ $labels.instance }}}} will need {{{{ $value | humanizePercentage }}}} of its connections in {c.Window($"{Number(PoolExhaustionHorizonMinutes)}m")} (its use over {c.Window("5m")} scaled by the request rate's trend). Scale out or shed load before requests queue and time out."),
        new(AlertName.ConnectionPoolQueueing, "warning", TimeSpan.FromMinutes(2),
            // Only while the pool is busy: a pool that is still opening its connections (a service's first
            // seconds) also makes requests wait, and that is not the queueing this alert is about.
            (c, s) =>
                $"(\n  max by ({R.Pool}) (max_over_time({M.DbConnectionPendingRequests}{{{c.Job(s)}}}[{c.Window("1m")}])) > 0\n" +
                $"  or\n" +
                $"  {R.PoolWaitedShare}{{{c.Job(s)}}} > {Number(s.ThresholdOf(T.PoolQueueingShare))}\n)\n" +
                $"and on ({R.Pool})\n" +
                $"{R.PoolUsage}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.PoolUtilisationWarning))}",
            (c, s) => $"{s.Display}: requests queue for a database connection",
            (c, s) => $"Requests wait for a connection from pool {{{{ $labels.{L.DbConnectionPoolName} }}}} on {{{{ $labels.instance }}}}: {{{{ $value | humanize }}}} (requests pending at the busiest scrape of {c.Window("1m")}, or the share of acquisitions that waited over 10ms, above {Percent(s.ThresholdOf(T.PoolQueueingShare))}) while {Percent(s.ThresholdOf(T.PoolUtilisationWarning))} or more of its connections are in use."),
        new(AlertName.ConnectionPoolWaitHigh, "warning", TimeSpan.FromMinutes(5),
            (c, s) =>
                $"{R.PoolWaitMean}{{{c.Job(s)}}} > {Number(s.ThresholdOf(T.PoolWaitSeconds))}\n" +
                $"and on ({R.Pool})\n" +
                $"{R.PoolAcquisitions}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinAcquisitionRate))}",
            (c, s) => $"{s.Display}: average wait for a database connection above {Latency(s.ThresholdOf(T.PoolWaitSeconds))}",
            (c, s) => $"Acquiring a connection from pool {{{{ $labels.{L.DbConnectionPoolName} }}}} on {{{{ $labels.instance }}}} took {{{{ $value | humanizeDuration }}}} on average over {c.Window("1m")} (threshold {Latency(s.ThresholdOf(T.PoolWaitSeconds))}). The pool is too small for the load or connections are held too long."),
        new(AlertName.ConnectionPoolTimeouts, "critical", TimeSpan.FromMinutes(1),
            (c, s) => $"sum by ({R.Pool}) (increase({M.DbConnectionTimeouts}{{{c.Job(s)}}}[{c.Window("5m")}])) > 0",
            (c, s) => $"{s.Display}: requests time out waiting for a database connection",
            (c, s) => $"{{{{ $value | humanize }}}} requests timed out waiting for a connection from pool {{{{ $labels.{L.DbConnectionPoolName} }}}} on {{{{ $labels.instance }}}} in the last {c.Window("5m")}. Those requests failed."),
        new(AlertName.TrafficSpike, "warning", TimeSpan.FromMinutes(3),
            // The five-minute rate, as its normal is built from: a one-minute rate of completed requests swings
            // with every burst of completions when the pool is saturated, and flapped in the w50-1 drill.
            (c, s) =>
                $"{R.Requests}{{{c.Job(s)}}} / on (job) {R.RequestsNormal}{{{c.Job(s)}}} > {Number(s.ThresholdOf(T.TrafficSpikeFactor))}\n" +
                $"and on (job)\n" +
                $"{R.Requests}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))}",
            (c, s) => $"{s.Display}: traffic above {Number(s.ThresholdOf(T.TrafficSpikeFactor))}x its normal volume",
            (c, s) => $"{s.Display} serves {{{{ $value | humanize }}}} times its normal request rate over {c.Window("5m")} (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last {c.Window("80m")}; threshold {Number(s.ThresholdOf(T.TrafficSpikeFactor))}x). Check that its connection pool and dependencies can take it."),

        // w50-2: order-service leaked memory until the container was OOM-killed, overnight.
        new(AlertName.MemoryGrowthTrend, "warning", TimeSpan.FromMinutes(10),
            // Time to the limit at the growth rate of the last 20 minutes, once the instance has run for 35:
            // the regression then never sees the first 15 minutes (warm-up, caches filling to a plateau).
            // Two kinds of healthy growth are told apart from a leak (issue 20: 34 episodes a week on a healthy
            // order-service). A fresh pod filling with load slows down as it fills: its last 20 minutes grow
            // less than MemoryGrowthSustained times as fast as its last hour, a leak's do not. Memory that follows
            // the traffic (the morning ramp) grows while the service's requests grow: the alert waits while they
            // rose by more than MemoryTrafficGrowth over the hour; the incident's leak grew overnight while
            // traffic fell. A gen2 sawtooth (30-80 MB given back every 20-60 minutes) rises like a leak between two
            // collections, for longer than a 20-minute window and a 10-minute "for": the growth must also reach the
            // limit within MemoryLongHorizonFactor times the horizon by the regression over the last two hours of the
            // warmed-up working set
            // (issue 20's install day: 1.7-9 h a day per service), which averages several cycles out and still
            // follows a leak (the w50-2 leak grew for hours).
            (c, s) =>
                $"(\n  max by (job, instance) ({M.ProcessMemoryLimit}{{{c.Job(s)}}} > 0)\n" +
                $"  - on (job, instance)\n" +
                $"  max by (job, instance) ({M.DotnetWorkingSet}{{{c.Job(s)}}})\n)\n" +
                $"/ on (job, instance)\n" +
                $"(max by (job, instance) (deriv({M.DotnetWorkingSet}{{{c.Job(s)}}}[{c.Window("20m")}])) > 0)\n" +
                $"< {c.Seconds(s.ThresholdOf(T.MemoryGrowthHorizonHours) * 3600)}\n" +
                $"and on (job, instance)\n" +
                $"max by (job, instance) ({M.ProcessUptime}{{{c.Job(s)}}}) > {c.Seconds(35 * 60)}\n" +
                $"and on (job, instance)\n" +
                $"(\n  max by (job, instance) (deriv({M.DotnetWorkingSet}{{{c.Job(s)}}}[{c.Window("20m")}]))\n" +
                $"  >= {Number(MemoryGrowthSustained)} * max by (job, instance) (deriv({M.DotnetWorkingSet}{{{c.Job(s)}}}[{c.Window("1h")}]))\n)\n" +
                $"and on (job, instance)\n" +
                $"(\n  max by (job, instance) ({M.ProcessMemoryLimit}{{{c.Job(s)}}} > 0)\n" +
                $"  - on (job, instance)\n" +
                $"  max by (job, instance) ({M.DotnetWorkingSet}{{{c.Job(s)}}})\n)\n" +
                $"/ on (job, instance)\n" +
                $"(deriv({R.WarmWorkingSet}{{{c.Job(s)}}}[{c.Window("2h")}]) > 0)\n" +
                $"< {c.Seconds(MemoryLongHorizonFactor * s.ThresholdOf(T.MemoryGrowthHorizonHours) * 3600)}\n" +
                $"unless on (job)\n" +
                $"{R.Requests}{{{c.Job(s)}}} > {Number(MemoryTrafficGrowth)} * ({R.Requests}{{{c.Job(s)}}} offset {c.Window("1h")})",
            (c, s) => $"{s.Display}: memory grows fast enough to reach its limit within {Number(s.ThresholdOf(T.MemoryGrowthHorizonHours))}h",
            (c, s) => $"The working set of {{{{ $labels.instance }}}} has grown for {c.Window("20m")} at a rate that reaches its memory limit in {{{{ $value | humanizeDuration }}}} (threshold {Number(s.ThresholdOf(T.MemoryGrowthHorizonHours))}h). A leak ends in an out-of-memory kill."),
        new(AlertName.MemoryNearLimit, "critical", TimeSpan.FromMinutes(2),
            (c, s) =>
                $"max by (job, instance) ({M.DotnetWorkingSet}{{{c.Job(s)}}})\n" +
                $"/ on (job, instance)\n" +
                $"max by (job, instance) ({M.ProcessMemoryLimit}{{{c.Job(s)}}} > 0)\n" +
                $">= {Number(s.ThresholdOf(T.MemoryLimitRatio))}",
            (c, s) => $"{s.Display}: memory at {Percent(s.ThresholdOf(T.MemoryLimitRatio))} of its limit or more",
            (c, s) => $"The working set of {{{{ $labels.instance }}}} is {{{{ $value | humanizePercentage }}}} of its memory limit (threshold {Percent(s.ThresholdOf(T.MemoryLimitRatio))}). The container will be OOM-killed when it reaches it."),
        new(AlertName.ServiceRestarted, "warning", TimeSpan.Zero,
            (c, s) => c.Otlp ? OtlpSignals.Restarted(c, s) : $"sum by (job, instance) (resets({M.ProcessUptime}{{{c.Job(s)}}}[{c.Window("15m")}])) > 0",
            (c, s) => $"{s.Display} restarted",
            (c, s) => c.Otlp ? OtlpSignals.RestartedDescription(c, s) : $"{{{{ $labels.instance }}}} restarted {{{{ $value }}}} time(s) in the last {c.Window("15m")} (its process uptime went back to zero). Was it OOM-killed or crashing?"),
        new(AlertName.KubePodRestarted, "warning", TimeSpan.Zero,
            // Rules shared by several services, and the other services' rule, name the service by the job label: it is
            // copied from the container.
            (c, s) => !s.NamedByJob
                ? $"sum by (namespace, pod, container) (increase({M.KubePodRestarts}{{{c.Containers(s)}}}[{c.Window("15m")}])) > 0"
                : $"label_replace(\n  sum by (namespace, pod, container) (increase({M.KubePodRestarts}{{{c.Containers(s)}}}[{c.Window("15m")}])) > 0,\n  \"job\", \"$1\", \"container\", \"(.+)\"\n)",
            (c, s) => $"{s.Display}: container restarted (kube-state-metrics)",
            (c, s) => $"Container {{{{ $labels.container }}}} of pod {{{{ $labels.namespace }}}}/{{{{ $labels.pod }}}} restarted {{{{ $value | humanize }}}} time(s) in the last {c.Window("15m")}. Check the last termination reason (OOMKilled?)."),
        new(AlertName.ServiceMetricsMissing, "warning", TimeSpan.FromMinutes(5),
            // A failing target, or a job with no target where other jobs have targets, per aggregation label: with
            // aggregationLabels [cluster] a job missing from one cluster alerts for that cluster, while another
            // cluster still has it. absent(up) is the last resort: the ruler sees no target at all anywhere.
            // Rules shared by several services list each job as a series of the places that should have it.
            (c, s) => c.Otlp ? OtlpSignals.MetricsMissing(c, s) : s.SharedBy is null
                ? $"{M.Up}{{{c.Job(s)}}} == 0\nor\n" +
                  $"(\n  count by () ({M.Up}{{job!=\"\"{c.Labelled}}})\n  unless on ()\n  count by () ({M.Up}{{{c.Job(s)}}})\n)\n" +
                  $"or\nabsent({M.Up})"
                : $"{M.Up}{{{c.Job(s)}}} == 0\nor\n" +
                  $"(\n  (\n    {string.Join("\n    or\n    ", s.SharedBy.Select(name => $"label_replace(count by () ({M.Up}{{job!=\"\"{c.Labelled}}}), \"job\", {Quote(name)}, \"\", \"\")"))}\n  )\n" +
                  $"  unless on (job)\n  count by (job) ({M.Up}{{{c.Job(s)}}})\n)\n" +
                  $"or\nabsent({M.Up})",
            (c, s) => $"{s.Display}: metrics missing",
            (c, s) => c.Otlp ? OtlpSignals.MetricsMissingDescription(c, s) : $"Prometheus {{{{ if $labels.instance }}}}cannot scrape {{{{ $labels.instance }}}} of {s.Display}{{{{ else }}}}has no target for {s.Display} (job {(s.SharedBy is null ? s.Job : s.Display)}){{{{ end }}}}: every other alert of the service is blind there.",
            AlertNeeds.NamedService),

        // w50-3: a campaign on the catalog endpoints slowed the whole api-gateway.
        new(AlertName.ServiceLatencyP95High, "warning", TimeSpan.FromMinutes(5),
            // Routes with their own threshold (or excluded) are judged per route only, not in the service's P95.
            (c, s) =>
                $"{ServiceP95(c, s)} > {Number(s.ThresholdOf(T.ServiceP95Seconds))}\n" +
                $"and on (job)\n" +
                $"{R.RequestsNow}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))}",
            (c, s) => $"{s.Display}: P95 latency above {Latency(s.ThresholdOf(T.ServiceP95Seconds))}",
            (c, s) => $"95 % of the requests to {s.Display} took up to {{{{ $value | humanizeDuration }}}} over {c.Window("1m")} (threshold {Latency(s.ThresholdOf(T.ServiceP95Seconds))})."),
        // Issue 20: on the campaign's ramp (the gateway's P95 climbing from about 70 ms to 2 s in 11 minutes) the latency
        // alerts came only after the P95 reached 2 s: five minutes above 500 ms is the review's boundary, and the ramp
        // passes 500 ms less than five minutes before 2 s. A P95 that has passed half the threshold and grown by half
        // or more in each of the last two 2m30s steps is climbing, not stuck: a slow-down that steps up at once (a
        // noisy neighbour, a long GC) rises in one step only and a route slow by design does not rise at all.
        new(AlertName.ServiceLatencyP95Rising, "warning", TimeSpan.FromMinutes(1),
            (c, s) =>
                $"{ServiceP95(c, s)} > {Number(LatencyRiseFromShare * s.ThresholdOf(T.ServiceP95Seconds))}\n" +
                $"and on (job)\n" +
                $"{ServiceP95(c, s)} >= on (job) {Number(LatencyRiseFactor)} * {ServiceP95At(c, s, c.Window("2m30s"))}\n" +
                $"and on (job)\n" +
                $"{ServiceP95At(c, s, c.Window("2m30s"))} >= on (job) {Number(LatencyRiseFactor)} * {ServiceP95At(c, s, c.Window("5m"))}\n" +
                $"and on (job)\n" +
                $"{R.RequestsNow}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))}",
            (c, s) => $"{s.Display}: P95 latency climbing fast toward {Latency(s.ThresholdOf(T.ServiceP95Seconds))}",
            (c, s) => $"95 % of the requests to {s.Display} took up to {{{{ $value | humanizeDuration }}}} over {c.Window("1m")}, at least {Number(LatencyRiseFactor)} times as long as {c.Window("2m30s")} before, twice in a row (threshold {Latency(s.ThresholdOf(T.ServiceP95Seconds))}). At that pace it passes the threshold within minutes; find what is saturating before every user waits."),
        new(AlertName.EndpointLatencyP95High, "warning", TimeSpan.FromMinutes(5),
            (c, s) =>
                $"{RouteP95Breach(c, s)}\n" +
                $"and on (job, {L.HttpRoute})\n" +
                $"{R.RouteRequests}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))}",
            (c, s) => $"{s.Display}: {{{{ $labels.{L.HttpRoute} }}}} P95 latency above {RouteThresholdText(s)}",
            (c, s) => $"95 % of the requests to {{{{ $labels.{L.HttpRoute} }}}} on {s.Display} took up to {{{{ $value | humanizeDuration }}}} over {c.Window("1m")} (threshold {RouteThresholdText(s)})."),
        new(AlertName.RequestRateAnomaly, "warning", TimeSpan.FromMinutes(5),
            (c, s) =>
                $"(\n  {R.RequestsZScore}{{{c.Job(s)}}} > {Number(s.ThresholdOf(T.RequestRateZScore))}\n  and on (job)\n  {R.Requests}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))}\n)\n" +
                $"or\n" +
                $"(\n  {R.RequestsZScore}{{{c.Job(s)}}} < -{Number(s.ThresholdOf(T.RequestRateZScore))}\n  and on (job)\n  {R.RequestsNormal}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))}\n)",
            (c, s) => $"{s.Display}: request rate far from normal",
            (c, s) => $"The request rate of {s.Display} is {{{{ $value | humanize }}}} standard deviations from its normal (the same hour last week; in the first week, the nearer of the same hour yesterday and the median of the last {c.Window("80m")}; threshold ±{Number(s.ThresholdOf(T.RequestRateZScore))}). A surge (campaign, retry storm) or a drop (clients cannot reach it)."),

        // w49-1: the session Redis ran out of memory, Sentinel failed over, everyone logged in again.
        new(AlertName.RedisMemoryHigh, "warning", TimeSpan.FromMinutes(5),
            (c, s) =>
                $"max by (job, instance) ({M.RedisMemoryUsed}{{{c.ExporterJobs(s, redis: true, sentinel: false)}}})\n" +
                $"/ on (job, instance)\n" +
                $"max by (job, instance) ({M.RedisMemoryMax}{{{c.ExporterJobs(s, redis: true, sentinel: false)}}} > 0)\n" +
                $"> {Number(s.ThresholdOf(T.RedisMemoryRatio))}",
            (c, s) => $"{s.Display}: Redis memory above {Percent(s.ThresholdOf(T.RedisMemoryRatio))} of maxmemory",
            (c, s) => $"Redis {{{{ $labels.instance }}}} uses {{{{ $value | humanizePercentage }}}} of its maxmemory (threshold {Percent(s.ThresholdOf(T.RedisMemoryRatio))}). At maxmemory it evicts sessions or refuses writes.",
            AlertNeeds.RedisJob),
        new(AlertName.RedisEvictionsHigh, "warning", TimeSpan.FromMinutes(2),
            (c, s) => $"sum by (job, instance) (rate({M.RedisEvictedKeys}{{{c.ExporterJobs(s, redis: true, sentinel: false)}}}[{c.Window("1m")}])) > {Number(s.ThresholdOf(T.RedisEvictionsPerSecond))}",
            (c, s) => $"{s.Display}: Redis evicts more than {Number(s.ThresholdOf(T.RedisEvictionsPerSecond))} keys/s",
            (c, s) => $"Redis {{{{ $labels.instance }}}} evicts {{{{ $value | humanize }}}} keys per second over {c.Window("1m")} (threshold {Number(s.ThresholdOf(T.RedisEvictionsPerSecond))}): sessions are being thrown away and users logged out.",
            AlertNeeds.RedisJob),
        new(AlertName.RedisSentinelFailover, "critical", TimeSpan.Zero,
            (c, s) => $"count by (job, {L.MasterName}) (\n  count by (job, {L.MasterName}, {L.MasterAddress}) (count_over_time({M.RedisSentinelMasterStatus}{{{c.ExporterJobs(s, redis: false, sentinel: true)}}}[{c.Window("10m")}]))\n) > 1",
            (c, s) => $"{s.Display}: Redis Sentinel failed over {{{{ $labels.{L.MasterName} }}}}",
            (c, s) => $"Sentinel reported {{{{ $value }}}} different addresses for master {{{{ $labels.{L.MasterName} }}}} in the last {c.Window("10m")}: it failed over. Sessions written to the old primary may be lost.",
            AlertNeeds.SentinelJob),
        new(AlertName.RedisSentinelQuorumLost, "critical", TimeSpan.FromMinutes(5),
            (c, s) => $"min by (job, {L.MasterName}) ({M.RedisSentinelMasterCkquorumStatus}{{{c.ExporterJobs(s, redis: false, sentinel: true)}}}) == 0",
            (c, s) => $"{s.Display}: Redis Sentinel cannot reach quorum for {{{{ $labels.{L.MasterName} }}}}",
            (c, s) => $"SENTINEL CKQUORUM fails for master {{{{ $labels.{L.MasterName} }}}}: too few Sentinels agree, so a failing primary would not be replaced.",
            AlertNeeds.SentinelJob),
        new(AlertName.RedisExporterDown, "warning", TimeSpan.FromMinutes(2),
            // The other services' rule cannot name the exporter jobs: a failing target counts when its job exposed
            // redis_up within the hour (so a down application target is ServiceMetricsMissing's, not this alert's).
            (c, s) => !s.ForOtherServices
                ? $"{M.RedisUp}{{{c.ExporterJobs(s, redis: true, sentinel: true)}}} == 0\nor\n{M.Up}{{{c.ExporterJobs(s, redis: true, sentinel: true)}}} == 0"
                : $"{M.RedisUp}{{{c.ExporterJobs(s, redis: true, sentinel: true)}}} == 0\nor\n" +
                  $"(\n  {M.Up}{{{c.ExporterJobs(s, redis: true, sentinel: true)}}} == 0\n  and on (job)\n  count by (job) (count_over_time({M.RedisUp}{{{c.ExporterJobs(s, redis: true, sentinel: true)}}}[{c.Window("1h")}]))\n)",
            (c, s) => $"{s.Display}: a Redis node or Sentinel is not monitored",
            (c, s) => $"redis_exporter target {{{{ $labels.instance }}}} (job {{{{ $labels.job }}}}) cannot be scraped or cannot reach its Redis or Sentinel: the Redis alerts are blind there, or the node is down.",
            AlertNeeds.RedisOrSentinelJob),
        new(AlertName.RedisClientFailover, "critical", TimeSpan.Zero,
            // For teams without redis_exporter: the application's own client saw the primary move.
            (c, s) => $"sum by (job, {L.RedisName}) (increase({M.RedisPrimaryChanges}{{{c.Job(s)}}}[{c.Window("5m")}])) > 0",
            (c, s) => $"{s.Display}: Redis {{{{ $labels.{L.RedisName} }}}} has a new primary",
            (c, s) => $"The Redis client of {s.Display} saw the primary of {{{{ $labels.{L.RedisName} }}}} change {{{{ $value | humanize }}}} time(s) in the last {c.Window("5m")} (a Sentinel failover or switch-over). Data written to the old primary may be lost; sessions may be gone."),
        new(AlertName.LoginRateSpike, "warning", TimeSpan.FromMinutes(2),
            (c, s) =>
                $"{R.LoginsNow}{{{c.Job(s)}}} / on (job) {R.LoginsNormal}{{{c.Job(s)}}} > {Number(s.ThresholdOf(T.LoginSpikeFactor))}\n" +
                $"and on (job)\n" +
                $"{R.LoginsNow}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinLoginRate))}",
            (c, s) => $"{s.Display}: login attempts above {Number(s.ThresholdOf(T.LoginSpikeFactor))}x normal",
            (c, s) => $"Login attempts on {s.Display} run at {{{{ $value | humanize }}}} times their normal rate over {c.Window("1m")} (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last {c.Window("80m")}; threshold {Number(s.ThresholdOf(T.LoginSpikeFactor))}x). Sessions were lost (Redis eviction or failover) or someone is guessing passwords."),

        // w49-2: a migration dropped an index; inventory queries went from 50 ms to 5 s.
        new(AlertName.DatabaseQueryLatencyP95High, "warning", TimeSpan.FromMinutes(5),
            (c, s) =>
                $"{R.OperationP95}{{{c.Job(s)}}} > {Number(s.ThresholdOf(T.QueryP95Seconds))}\n" +
                $"and on (job)\n" +
                $"{R.Operations}{{{c.Job(s)}}} >= {Number(s.ThresholdOf(T.MinOperationRate))}",
            (c, s) => $"{s.Display}: database query P95 above {Latency(s.ThresholdOf(T.QueryP95Seconds))}",
            (c, s) => $"95 % of the database operations of {s.Display} took up to {{{{ $value | humanizeDuration }}}} over {c.Window("1m")} (threshold {Latency(s.ThresholdOf(T.QueryP95Seconds))}). A missing index or a locked table?"),
        new(AlertName.DependencyLatencyP95High, "warning", TimeSpan.FromMinutes(5),
            (c, s) =>
                $"{R.PeerP95}{{{c.Job(s)}, {L.PeerService}=~{Quote(s.DependencyPeers)}}} > {Number(s.ThresholdOf(T.DependencyP95Seconds))}\n" +
                $"and on (job, {L.PeerService})\n" +
                $"{R.PeerRequests}{{{c.Job(s)}, {L.PeerService}=~{Quote(s.DependencyPeers)}}} >= {Number(s.ThresholdOf(T.MinRequestRate))}",
            (c, s) => $"{s.Display}: calls to {{{{ $labels.{L.PeerService} }}}} P95 above {Latency(s.ThresholdOf(T.DependencyP95Seconds))}",
            (c, s) => $"95 % of the calls from {s.Display} to {{{{ $labels.{L.PeerService} }}}} took up to {{{{ $value | humanizeDuration }}}} over {c.Window("1m")} (threshold {Latency(s.ThresholdOf(T.DependencyP95Seconds))})."),

        // Issue 23: error-budget (burn-rate) alerts for the objectives a service configures (Definitions/ErrorBudget.cs).
        .. ErrorBudget.Alerts,
    ];

    /// <summary>
    /// MemoryGrowthTrend: the last 20 minutes must grow at least this share of the last hour's rate. An exponential
    /// fill with a time constant under about an hour (a fresh pod's caches, pools and JIT) stays below it; a steady
    /// leak sits at 1.
    /// </summary>
    public const double MemoryGrowthSustained = 0.7;

    /// <summary>
    /// EndpointLatencyP95High and ServiceLatencyP95High without a configured route threshold: a route whose own normal
    /// P95 is at least this many times <c>endpointP95Seconds</c> is slow by design (issue 20: a checkout route at 1.5 s
    /// breached 500 ms all day); it alerts when its P95 rises above this many times its normal, and it is left out of
    /// the service's P95. A route between the threshold and this many times it is judged by the threshold as written.
    /// </summary>
    public const double SlowByDesignFactor = 2;

    /// <summary>ServiceLatencyP95Rising: each of the last two 2m30s steps must raise the P95 at least this many times.</summary>
    public const double LatencyRiseFactor = 1.5;

    /// <summary>ServiceLatencyP95Rising judges a P95 once it is above this share of the service's latency threshold.</summary>
    public const double LatencyRiseFromShare = 0.5;

    /// <summary>ConnectionPoolExhaustionPredicted: how far ahead the trend of the service's request rate is extrapolated.</summary>
    public const double PoolExhaustionHorizonMinutes = 20;

    /// <summary>ConnectionPoolExhaustionPredicted: the request rate's trend must reach this many times its rate within the horizon.</summary>
    public const double PoolExhaustionMinimumGrowth = 1.5;

    /// <summary>ConnectionPoolExhaustionPredicted judges a pool only once this share of it is in use.</summary>
    public const double PoolExhaustionMinimumUsage = 0.5;

    /// <summary>
    /// MemoryGrowthTrend: the two-hour regression of the warmed-up working set must reach the limit within this many
    /// times the horizon (grow at least half as fast as the 20-minute trend must). A gen2 sawtooth averages out over
    /// two hours; a leak that began an hour ago still shows half its rate there, so the alert keeps its first hour.
    /// </summary>
    public const double MemoryLongHorizonFactor = 2;

    /// <summary>MemoryGrowthTrend waits while the service's five-minute request rate is more than this times its rate an hour ago.</summary>
    public const double MemoryTrafficGrowth = 1.1;

    public static readonly IReadOnlyDictionary<string, AlertDefinition> ByName = All.ToDictionary(a => a.Name, StringComparer.Ordinal);

    /// <summary>Per-route thresholds of a service: explicit ones, then the slow routes' (excluded routes have none).</summary>
    private static IEnumerable<(string Route, double Seconds)> RouteThresholds(ServiceConfiguration s)
        => s.RouteP95Seconds.Select(r => (r.Key, r.Value)).Concat(s.SlowRoutes.Select(r => (r, s.ThresholdOf(T.SlowRouteP95Seconds))));

    /// <summary>
    /// Every route's P95 above its threshold: the configured routes each with their own; every other route with
    /// <c>endpointP95Seconds</c>, unless the route is slow by design (its own normal, <see cref="Recorded.RouteP95Normal"/>,
    /// is at least <see cref="SlowByDesignFactor"/> times that threshold): such a route fires when its P95 rises above
    /// <see cref="SlowByDesignFactor"/> times its normal. A route without a normal yet (its first minutes) is judged by
    /// the threshold as written.
    /// </summary>
    private static string RouteP95Breach(RuleContext c, ServiceConfiguration s)
    {
        var own = s.OwnThresholdRoutes.ToList();
        var others = own.Count == 0 ? c.Job(s) : $"{c.Job(s)}, {L.HttpRoute}!~{Quote(RouteAlternation(own))}";
        var threshold = s.ThresholdOf(T.EndpointP95Seconds);
        var slowByDesign = $"{R.RouteP95Normal}{{{others}}} >= {Number(SlowByDesignFactor * threshold)}";
        var general =
            $"(\n  (\n    {R.RouteP95}{{{others}}} > {Number(threshold)}\n    unless on (job, {L.HttpRoute})\n    {slowByDesign}\n  )\n" +
            $"  or\n" +
            $"  {R.RouteP95}{{{others}}} > on (job, {L.HttpRoute}) ({Number(SlowByDesignFactor)} * ({slowByDesign}))\n)";
        var routes = RouteThresholds(s).ToList();
        if (routes.Count == 0)
        {
            return general;
        }

        return "(\n" + string.Join("\n  or\n  ", routes.Select(r => $"{R.RouteP95}{{{c.Job(s)}, {L.HttpRoute}={Quote(r.Route)}}} > {Number(r.Seconds)}").Prepend(general.Replace("\n", "\n  ", StringComparison.Ordinal).Insert(0, "  "))) + "\n)";
    }

    /// <summary>The threshold in alert texts: a template choosing the route's own when routes are configured.</summary>
    private static string RouteThresholdText(ServiceConfiguration s)
    {
        var general = Latency(s.ThresholdOf(T.EndpointP95Seconds));
        var routes = RouteThresholds(s).ToList();
        if (routes.Count == 0)
        {
            return general;
        }

        var text = string.Concat(routes.Select((r, i) => $"{{{{ {(i == 0 ? "if" : "else if")} eq $labels.{L.HttpRoute} {GoString(r.Route)} }}}}{Latency(r.Seconds)}"));
        return text + $"{{{{ else }}}}{general}{{{{ end }}}}";
    }

    /// <summary>
    /// The service's P95: the recorded one, or without the routes that have their own threshold. Routes slow by design
    /// (their normal at least <see cref="SlowByDesignFactor"/> times <c>endpointP95Seconds</c>) are left out too: the
    /// P95 of the other routes' buckets where a service has such a route (requests without a route are then not
    /// counted), nothing where every route is slow by design (EndpointLatencyP95High judges them).
    /// </summary>
    private static string ServiceP95(RuleContext c, ServiceConfiguration s, string? offset = null)
    {
        // With an offset, every selector in the expression is read as it was that long ago, so that the P95 then and
        // now leave out the same slow-by-design routes (ServiceLatencyP95Rising compares the two).
        var at = offset is null ? string.Empty : $" offset {offset}";
        var own = s.OwnThresholdRoutes.ToList();
        var routes = own.Count == 0 ? c.Job(s) : $"{c.Job(s)}, {L.HttpRoute}!~{Quote(RouteAlternation(own))}";
        var slowByDesign = $"{R.RouteP95Normal}{{{routes}}}{at} >= {Number(SlowByDesignFactor * s.ThresholdOf(T.EndpointP95Seconds))}";
        var whole = own.Count == 0
            ? $"{R.RequestP95}{{{c.Job(s)}}}{at}"
            : $"histogram_quantile(0.95, sum by (job, le) (rate({M.HttpServerRequestDuration.Bucket}{{{c.Job(s)}, {L.HttpRoute}!~{Quote(RouteAlternation(own))}}}[{c.Window("1m")}]{at})))";
        return
            $"(\n  (\n    histogram_quantile(0.95, sum by (job, le) ({R.RouteBuckets}{{{routes}}}{at} unless on (job, {L.HttpRoute}) ({slowByDesign})))\n" +
            $"    and on (job)\n    count by (job) ({slowByDesign})\n  )\n" +
            $"  or\n  (\n    {whole}\n    unless on (job)\n    count by (job) ({slowByDesign})\n  )\n)";
    }

    /// <summary>The service's P95 as it was <paramref name="offset"/> ago (ServiceLatencyP95Rising compares the two).</summary>
    private static string ServiceP95At(RuleContext c, ServiceConfiguration s, string offset) => ServiceP95(c, s, offset);

    /// <summary>
    /// Exact route values as one RE2 alternation. Written by hand because .NET's Regex.Escape also escapes
    /// characters (space, '#') that RE2 does not accept escaped; routes hold '{', '}', ':', '.', '*', '?'.
    /// </summary>
    private static string RouteAlternation(IEnumerable<string> routes)
        => string.Join('|', routes.Select(r => string.Concat(r.Select(ch => @"\.+*?()|[]{}^$".Contains(ch, StringComparison.Ordinal) ? "\\" + ch : ch.ToString()))));

    /// <summary>A Go template string literal.</summary>
    private static string GoString(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
