using IncidentTelemetry.Rules.Tests.Definitions;
using static IncidentTelemetry.Rules.Tests.Definitions.AlertCases;
using static IncidentTelemetry.Rules.Tests.Infrastructure.Series;

namespace IncidentTelemetry.Rules.Tests.Otlp;

/// <summary>
/// promtool cases on series shaped as the OTLP receivers' documented translation writes them (Prometheus' OTLP receiver
/// with its default underscore escaping and suffixes, Mimir with suffixes on): <c>job</c> is
/// <c>service.namespace/service.name</c> (<c>shop/order-service</c>), <c>instance</c> the <c>service.instance.id</c> (a
/// uuid-like id that changes with the process unless set), one sample every 60 s (the .NET exporter's default
/// <c>OTEL_METRIC_EXPORT_INTERVAL</c>), no <c>up</c> series, and the resource on <c>target_info</c>. Cases are never
/// re-spaced: the 60 s push is what they test.
/// </summary>
internal static class OtlpCases
{
    public static readonly TimeSpan Push = TimeSpan.FromSeconds(60);

    private static readonly string[] Clusters = ["a", "b"];

    private static readonly string[] SharedServices = ["svc-a", "svc-b", "svc-c"];

    public const string Version = "2.3.1";

    public const string OrderJob = "job=\"shop/order-service\"";
    public const string OrderOld = OrderJob + ", instance=\"order-host-a-4127\"";
    public const string OrderNew = OrderJob + ", instance=\"order-host-a-4388\"";
    public const string PaymentJob = "job=\"shop/payment-service\"";
    public const string Payment = PaymentJob + ", instance=\"3f6c2a9e-1b7d-4c58-a0e4-9d2b7f1c6e83\"";
    public const string PaymentPool = Payment + ", db_client_connection_pool_name=\"payments\"";
    public const string Gateway = "job=\"shop/api-gateway\", instance=\"8d41e0b2-5a3c-47f9-b16e-2c9a7d5f0e14\"";
    public const string Inventory = "job=\"shop/inventory-service\", instance=\"c27b9f14-0e6a-4d83-95b1-7a4e2c8d3f60\"";

    /// <summary>Every other sample-shop service, pushing its uptime (every app does from start-up).</summary>
    public static readonly string[] OtherJobs = ["shop/order-service", "shop/inventory-service", "shop/api-gateway", "shop/user-service"];

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);

    /// <summary>target_info as the translation writes it per resource, with every push (its value is always 1).</summary>
    public static (string, string) TargetInfo(string labels, string version, string values)
        => ($"target_info{{{labels}, service_version=\"{version}\", telemetry_sdk_language=\"dotnet\", telemetry_sdk_name=\"opentelemetry\"}}", values);

    private static (string, string) Uptime(string labels, string values)
        => ($"process_uptime_seconds{{{labels}, otel_scope_name=\"IncidentTelemetry\"}}", values);

    private static ExpectedAlert Restarted(string service, string labels, string instance) => Fired("ServiceRestarted", "warning", service, labels, $"{service} restarted",
        $"{instance} started within the last 15m: its process uptime went back to zero, or it replaced an instance of {service} with the same service.version that stopped pushing. Was it OOM-killed or crashing?");

    public static IEnumerable<RuleTest> ServiceRestarted()
    {
        const string alert = "ServiceRestarted";

        // A stable service.instance.id (the pod name, set through OTEL_RESOURCE_ATTRIBUTES): the uptime resets.
        const string pod = OrderJob + ", instance=\"order-service-7d9f-x2k4q\"";
        yield return new("OTLP ServiceRestarted fires: a stable instance id, the uptime goes back to zero", Push,
            [Uptime(pod, "0+60x10 20+60x10"), TargetInfo(pod, Version, "1x21")],
            [new(Min(9), alert, []), new(Min(12), alert, [Restarted("order-service", pod, "order-service-7d9f-x2k4q")])]);

        // The library's default id {host}-{pid}: the restarted process is a new instance, the old one stops pushing.
        yield return new("OTLP ServiceRestarted fires: the process comes back as a new instance of the same version", Push,
            [
                Uptime(OrderOld, "3600+60x10"), TargetInfo(OrderOld, Version, "1x10"),
                Uptime(OrderNew, "_x11 5+60x19"), TargetInfo(OrderNew, Version, "_x11 1x19"),
            ],
            [
                new(Min(10), alert, []),
                new(Min(13), alert, [Restarted("order-service", OrderNew, "order-host-a-4388")]),
                new(Min(20), alert, [Restarted("order-service", OrderNew, "order-host-a-4388")]),

                // Fifteen minutes after the restart the new instance is no longer new.
                new(Min(28), alert, []),
            ]);

        // The same without a service.namespace: job is service.name alone.
        const string bareOld = "job=\"order-service\", instance=\"order-host-a-4127\"";
        const string bareNew = "job=\"order-service\", instance=\"order-host-a-4388\"";
        yield return new("OTLP ServiceRestarted fires: no service.namespace, job is the service name", Push,
            [
                Uptime(bareOld, "3600+60x10"), TargetInfo(bareOld, Version, "1x10"),
                Uptime(bareNew, "_x11 5+60x19"), TargetInfo(bareNew, Version, "_x11 1x19"),
            ],
            [new(Min(13), alert, [Restarted("order-service", bareNew, "order-host-a-4388")])]);

        // A rolling deploy: the new instance runs another version. Not a restart.
        yield return new("OTLP ServiceRestarted silent: a deploy replaces the instance with a new version", Push,
            [
                Uptime(OrderOld, "3600+60x10"), TargetInfo(OrderOld, Version, "1x10"),
                Uptime(OrderNew, "_x11 5+60x19"), TargetInfo(OrderNew, "2.4.0", "_x11 1x19"),
            ],
            [new(Min(13), alert, []), new(Min(20), alert, [])]);

        // A scale-out: a new instance, and the old one keeps pushing. Not a restart.
        yield return new("OTLP ServiceRestarted silent: a scale-out adds an instance, none stops", Push,
            [
                Uptime(OrderOld, "3600+60x30"), TargetInfo(OrderOld, Version, "1x30"),
                Uptime(OrderNew, "_x11 5+60x19"), TargetInfo(OrderNew, Version, "_x11 1x19"),
            ],
            [new(Min(13), alert, []), new(Min(20), alert, [])]);

        yield return new("OTLP ServiceRestarted silent: the uptime keeps growing", Push,
            [Uptime(OrderOld, "3600+60x30"), TargetInfo(OrderOld, Version, "1x30")], [new(Min(25), alert, [])]);
    }

    private static ExpectedAlert Missing(string service, string labels = "") => Fired("ServiceMetricsMissing", "warning", service, labels, $"{service}: metrics missing",
        $"No instance of {service} (job {service}, under any service.namespace) pushed its metrics in the last 2m30s: every other alert of the service is blind there.");

    /// <summary>One Prometheus (no aggregation labels): no <c>up</c> anywhere, and that alone must not fire.</summary>
    public static IEnumerable<RuleTest> ServiceMetricsMissing()
    {
        const string alert = "ServiceMetricsMissing";
        var others = OtherJobs.Select((j, i) => Uptime($"job=\"{j}\", instance=\"{i}e1f0c2a-7b3d-4e59-8a61-d0c4b2f9e7a{i}\"", "0+60x20")).ToList();
        yield return new("OTLP ServiceMetricsMissing fires: payment-service stops pushing", Push,
            [.. others, Uptime(Payment, "0+60x3")],
            [new(Min(9), alert, []), new(Min(12), alert, [Missing("payment-service")])]);
        yield return new("OTLP ServiceMetricsMissing fires: payment-service never pushed", Push,
            others, [new(Min(10), alert, [Missing("payment-service")])]);
        yield return new("OTLP ServiceMetricsMissing silent: every service pushes every 60s and there is no up at all", Push,
            [.. others, Uptime(Payment, "0+60x20")], [new(Min(10), alert, []), new(Min(18), alert, [])]);
    }

    /// <summary>Two clusters behind one ruler (<c>aggregationLabels: [cluster]</c>), each pushing through its own collector.</summary>
    public static IEnumerable<RuleTest> ServiceMetricsMissingTwoClusters()
    {
        const string alert = "ServiceMetricsMissing";
        IEnumerable<(string, string)> Everywhere(bool payment) =>
            from cluster in Clusters
            from job in payment ? [.. OtherJobs, "shop/payment-service"] : OtherJobs
            select Uptime($"cluster=\"{cluster}\", job=\"{job}\", instance=\"{cluster}-{job.Replace('/', '-')}-5c1e\"", "0+60x20");

        ExpectedAlert In(string cluster) => Missing("payment-service", $"cluster=\"{cluster}\"");

        yield return new("OTLP ServiceMetricsMissing fires for cluster b only: payment-service pushes in cluster a only", Push,
            [.. Everywhere(payment: false), Uptime("cluster=\"a\", job=\"shop/payment-service\", instance=\"a-payment-5c1e\"", "0+60x20")],
            [new(Min(4), alert, []), new(Min(10), alert, [In("b")])]);
        yield return new("OTLP ServiceMetricsMissing fires once per cluster: payment-service missing in both", Push,
            [.. Everywhere(payment: false)], [new(Min(10), alert, [In("a"), In("b")])]);
        yield return new("OTLP ServiceMetricsMissing silent: payment-service pushes in both clusters", Push,
            [.. Everywhere(payment: true)], [new(Min(10), alert, [])]);
    }

    private static List<(string, string)> Pool(int used, int max, int samples) =>
    [
        ($"db_client_connection_count{{{PaymentPool}, db_client_connection_state=\"used\", otel_scope_name=\"Npgsql\"}}", Gauge((used, samples))),
        ($"db_client_connection_count{{{PaymentPool}, db_client_connection_state=\"idle\", otel_scope_name=\"Npgsql\"}}", Gauge((max - used, samples))),
        ($"db_client_connection_max{{{PaymentPool}, otel_scope_name=\"Npgsql\"}}", Gauge((max, samples))),
    ];

    /// <summary>Alerts on the widened windows: a gauge's busiest push, and histogram rates over 60 s pushes.</summary>
    public static IEnumerable<RuleTest> Windows()
    {
        const string critical = "ConnectionPoolUtilisationCritical";
        yield return new("OTLP ConnectionPoolUtilisationCritical fires: all 10 connections in use, pushed every 60s", Push, Pool(10, 10, 20),
            [
                new(Min(1), critical, []),
                new(Min(6), critical, [Fired(critical, "critical", "payment-service", PaymentPool, "payment-service: connection pool payments nearly exhausted",
                    "Pool payments on 3f6c2a9e-1b7d-4c58-a0e4-9d2b7f1c6e83 had 100% of its connections in use at its busiest in each 2m30s (critical at 90%). Requests are queueing or about to time out.")]),
            ]);
        yield return new("OTLP ConnectionPoolUtilisationCritical silent: 44 of 50 connections", Push, Pool(44, 50, 20), [new(Min(10), critical, [])]);

        const string latency = "ServiceLatencyP95High";
        const string route = Gateway + ", http_route=\"/catalog/items/{id:int}\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        yield return new("OTLP ServiceLatencyP95High fires: requests take 0.5 to 0.75s, pushed every 60s", Push,
            [.. Histogram("http_server_request_duration_seconds", route, 0.5, perSecond: 10, samples: 20, Push)],
            [
                new(Min(4), latency, []),
                new(Min(12), latency, [Fired(latency, "warning", "api-gateway", "job=\"shop/api-gateway\"", "api-gateway: P95 latency above 500ms",
                    "95 % of the requests to api-gateway took up to 737.5ms over 2m30s (threshold 500ms).")]),
            ]);
        yield return new("OTLP ServiceLatencyP95High silent: requests take 0.25 to 0.5s", Push,
            [.. Histogram("http_server_request_duration_seconds", route, 0.25, perSecond: 10, samples: 20, Push)], [new(Min(12), latency, [])]);

        const string query = "DatabaseQueryLatencyP95High";
        const string operations = Inventory + ", db_system_name=\"postgresql\", db_client_connection_pool_name=\"inventory\", otel_scope_name=\"Npgsql\"";
        yield return new("OTLP DatabaseQueryLatencyP95High fires: queries take 0.5 to 0.75s, pushed every 60s", Push,
            [.. Histogram("db_client_operation_duration_seconds", operations, 0.5, perSecond: 10, samples: 20, Push)],
            [
                new(Min(4), query, []),
                new(Min(12), query, [Fired(query, "warning", "inventory-service", "job=\"shop/inventory-service\"", "inventory-service: database query P95 above 500ms",
                    "95 % of the database operations of inventory-service took up to 737.5ms over 2m30s (threshold 500ms). A missing index or a locked table?")]),
            ]);
        yield return new("OTLP DatabaseQueryLatencyP95High silent: 0.25 to 0.5s", Push,
            [.. Histogram("db_client_operation_duration_seconds", operations, 0.25, perSecond: 10, samples: 20, Push)], [new(Min(12), query, [])]);
    }

    /// <summary>
    /// Services of one team sharing rules (<c>ruleGroups.by: team</c>) in two clusters: svc-b pushes nothing in cluster a.
    /// The shared rule compares service names, so the receiver's namespace prefix must not hide a present service.
    /// </summary>
    public static IEnumerable<RuleTest> SharedTeamMetricsMissing()
    {
        const string alert = "ServiceMetricsMissing";
        var input = new List<(string, string)>();
        foreach (var cluster in Clusters)
        {
            foreach (var service in SharedServices.Where(s => !(cluster == "a" && s == "svc-b")))
            {
                input.Add(Uptime($"cluster=\"{cluster}\", job=\"web/{service}\", instance=\"{cluster}-{service}-91d3\"", "0+60x20"));
            }
        }

        yield return new("OTLP ServiceMetricsMissing, shared team rules: svc-b missing in cluster a alerts under its own name", Push, input,
            [
                new(Min(4), alert, []),
                new(Min(10), alert, [new ExpectedAlert(
                    new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["severity"] = "warning", ["team"] = "web", ["service"] = "svc-b", ["priority"] = "P3", ["cluster"] = "a", ["job"] = "svc-b",
                    },
                    new Dictionary<string, string>(StringComparer.Ordinal)
                    {
                        ["summary"] = "svc-b: metrics missing",
                        ["description"] = "No instance of svc-b (job svc-b, under any service.namespace) pushed its metrics in the last 2m30s: every other alert of the service is blind there.",
                        ["runbook_url"] = RulesConfiguration.DefaultRunbookBaseUrl + alert + ".md",
                    })]),
            ]);
    }
}
