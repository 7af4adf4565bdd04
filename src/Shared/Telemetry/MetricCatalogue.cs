namespace IncidentTelemetry.Catalogue;

/// <summary>Histogram bucket boundaries the library sets.</summary>
internal static class HistogramBuckets
{
    /// <summary>
    /// Latency buckets, in seconds. They extend the ASP.NET Core defaults (0.005 … 10 s, from the OpenTelemetry HTTP
    /// semantic conventions) with 1.5 s and 2 s so that every threshold in the incident reviews (100 ms, 500 ms, 1 s,
    /// 2 s) is a bucket boundary: <c>histogram_quantile</c> is then exact at the threshold the alert compares with.
    /// </summary>
    public static readonly double[] Latency = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 7.5, 10];

    /// <summary>
    /// Payload-size buckets, in bytes: powers of four from 256 B to 16 MiB. Session payloads that grew from a few KB to
    /// hundreds of KB (week 49, incident 1) move across several buckets.
    /// </summary>
    public static readonly double[] Size = [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
}

/// <summary>Every label the catalogue's families carry, as Prometheus names it.</summary>
internal static class Labels
{
    // Target labels Prometheus adds to every scraped series, and the bucket bound.
    public static readonly Label Job = Label.Plain("job");
    public static readonly Label Instance = Label.Plain("instance");
    public static readonly Label Le = Label.Plain("le");

    // Attributes.
    public static readonly Label ErrorType = Label.FromAttribute(AttributeNames.ErrorType);
    public static readonly Label PeerService = Label.FromAttribute(AttributeNames.PeerService);
    public static readonly Label HttpRoute = Label.FromAttribute(AttributeNames.HttpRoute);
    public static readonly Label HttpRequestMethod = Label.FromAttribute(AttributeNames.HttpRequestMethod);
    public static readonly Label HttpResponseStatusCode = Label.FromAttribute(AttributeNames.HttpResponseStatusCode);
    public static readonly Label UrlScheme = Label.FromAttribute(AttributeNames.UrlScheme);
    public static readonly Label NetworkProtocolVersion = Label.FromAttribute(AttributeNames.NetworkProtocolVersion);
    public static readonly Label ServerAddress = Label.FromAttribute(AttributeNames.ServerAddress);
    public static readonly Label ServerPort = Label.FromAttribute(AttributeNames.ServerPort);
    public static readonly Label AspNetCoreRequestIsUnhandled = Label.FromAttribute(AttributeNames.AspNetCoreRequestIsUnhandled);
    public static readonly Label IdentitySignInResult = Label.FromAttribute(AttributeNames.IdentitySignInResult);
    public static readonly Label IdentityUserType = Label.FromAttribute(AttributeNames.IdentityUserType);
    public static readonly Label DbConnectionPoolName = Label.FromAttribute(AttributeNames.DbConnectionPoolName);
    public static readonly Label DbConnectionState = Label.FromAttribute(AttributeNames.DbConnectionState);
    public static readonly Label DbSystemName = Label.FromAttribute(AttributeNames.DbSystemName);
    public static readonly Label DbOperationName = Label.FromAttribute(AttributeNames.DbOperationName);
    public static readonly Label DbResponseStatusCode = Label.FromAttribute(AttributeNames.DbResponseStatusCode);
    public static readonly Label CacheName = Label.FromAttribute(AttributeNames.CacheName);
    public static readonly Label CacheOperation = Label.FromAttribute(AttributeNames.CacheOperation);
    public static readonly Label LoginResult = Label.FromAttribute(AttributeNames.LoginResult);
    public static readonly Label LoginMethod = Label.FromAttribute(AttributeNames.LoginMethod);
    public static readonly Label MemoryLimitSource = Label.FromAttribute(AttributeNames.MemoryLimitSource);
    public static readonly Label RedisName = Label.FromAttribute(AttributeNames.RedisName);

    // redis_exporter's labels.
    public static readonly Label MasterName = Label.Plain("master_name");
    public static readonly Label MasterAddress = Label.Plain("master_address");
    public static readonly Label MasterStatus = Label.Plain("master_status");
    public static readonly Label Message = Label.Plain("message");
    public static readonly Label Role = Label.Plain("role");
    public static readonly Label MaxMemoryPolicy = Label.Plain("maxmemory_policy");
    public static readonly Label RedisVersion = Label.Plain("redis_version");

    // kube-state-metrics' labels.
    public static readonly Label Namespace = Label.Plain("namespace");
    public static readonly Label Pod = Label.Plain("pod");
    public static readonly Label Container = Label.Plain("container");

    // The labels of Prometheus' ALERTS series and of every bundled alert.
    public static readonly Label AlertName = Label.Plain("alertname");
    public static readonly Label AlertState = Label.Plain("alertstate");
    public static readonly Label Severity = Label.Plain("severity");
    public static readonly Label Team = Label.Plain("team");
    public static readonly Label Service = Label.Plain("service");
    public static readonly Label Priority = Label.Plain("priority");
}

/// <summary>
/// Every metric family the library publishes, the rules and dashboards read, or docs/metrics.md lists: each once, in
/// the order of docs/metrics.md, which the dashboards program renders from <see cref="All"/>.
/// </summary>
internal static class MetricCatalogue
{
    private const string RedisExporter = "redis_exporter";
    private const string RedisExporterSentinel = "redis_exporter (Sentinel)";

    // ---- HTTP (ASP.NET Core, System.Net.Http) ----------------------------------------------------------------------

    public static readonly MetricFamily HttpServerRequestDuration = MetricFamily.FromInstrument(
        InstrumentNames.HttpServerRequestDuration, "s", MetricType.Histogram,
        "Duration of HTTP server requests, by route template (never the raw path).",
        [Labels.HttpRoute, Labels.HttpRequestMethod, Labels.HttpResponseStatusCode, Labels.ErrorType, Labels.UrlScheme, Labels.NetworkProtocolVersion, Labels.AspNetCoreRequestIsUnhandled],
        [MeterNames.AspNetCoreHosting], HistogramBuckets.Latency);

    public static readonly MetricFamily HttpServerActiveRequests = MetricFamily.FromInstrument(
        InstrumentNames.HttpServerActiveRequests, "{request}", MetricType.Gauge,
        "HTTP server requests being served.",
        [Labels.HttpRequestMethod, Labels.UrlScheme],
        [MeterNames.AspNetCoreHosting]);

    public static readonly MetricFamily HttpClientRequestDuration = MetricFamily.FromInstrument(
        InstrumentNames.HttpClientRequestDuration, "s", MetricType.Histogram,
        "Duration of outgoing HTTP requests, by the logical dependency (peer.service: the IHttpClientFactory client name).",
        [Labels.PeerService, Labels.ServerAddress, Labels.ServerPort, Labels.HttpRequestMethod, Labels.HttpResponseStatusCode, Labels.ErrorType, Labels.UrlScheme, Labels.NetworkProtocolVersion],
        [MeterNames.SystemNetHttp], HistogramBuckets.Latency, note: $"+ `{AttributeNames.PeerService}` from IncidentTelemetry");

    // ---- Connection pools (the pool decorator) ---------------------------------------------------------------------

    public static readonly MetricFamily DbConnectionWaitTime = MetricFamily.FromInstrument(
        InstrumentNames.DbConnectionWaitTime, "s", MetricType.Histogram,
        "The time it took to obtain an open connection from the pool.",
        [Labels.DbConnectionPoolName], [MeterNames.Database], HistogramBuckets.Latency);

    public static readonly MetricFamily DbConnectionUseTime = MetricFamily.FromInstrument(
        InstrumentNames.DbConnectionUseTime, "s", MetricType.Histogram,
        "The time between borrowing a connection and returning it to the pool.",
        [Labels.DbConnectionPoolName], [MeterNames.Database], HistogramBuckets.Latency);

    public static readonly MetricFamily DbConnectionCount = MetricFamily.FromInstrument(
        InstrumentNames.DbConnectionCount, "{connection}", MetricType.Gauge,
        "The number of connections that are currently in the state described by the state attribute.",
        [Labels.DbConnectionPoolName, Labels.DbConnectionState], [MeterNames.Database]);

    public static readonly MetricFamily DbConnectionMax = MetricFamily.FromInstrument(
        InstrumentNames.DbConnectionMax, "{connection}", MetricType.Gauge,
        "The maximum number of open connections allowed.",
        [Labels.DbConnectionPoolName], [MeterNames.Database]);

    public static readonly MetricFamily DbConnectionPendingRequests = MetricFamily.FromInstrument(
        InstrumentNames.DbConnectionPendingRequests, "{request}", MetricType.Gauge,
        "The number of current pending requests for an open connection.",
        [Labels.DbConnectionPoolName], [MeterNames.Database]);

    public static readonly MetricFamily DbConnectionTimeouts = MetricFamily.FromInstrument(
        InstrumentNames.DbConnectionTimeouts, "{timeout}", MetricType.Counter,
        "The number of connection timeouts that have occurred trying to obtain a connection from the pool.",
        [Labels.DbConnectionPoolName], [MeterNames.Database]);

    public static readonly MetricFamily DbOperationDuration = MetricFamily.FromInstrument(
        InstrumentNames.DbOperationDuration, "s", MetricType.Histogram,
        "Duration of database client operations.",
        [Labels.DbSystemName, Labels.DbConnectionPoolName, Labels.DbOperationName, Labels.DbResponseStatusCode, Labels.ErrorType],
        [MeterNames.Database, MeterNames.SqlClient], HistogramBuckets.Latency, note: "SqlClient, no pool name");

    // ---- Session payloads (the cache decorator) --------------------------------------------------------------------

    public static readonly MetricFamily CachePayloadSize = MetricFamily.FromInstrument(
        InstrumentNames.CachePayloadSize, "By", MetricType.Histogram,
        "Size of the value read from or written to the distributed cache (reads that miss record nothing).",
        [Labels.CacheName, Labels.CacheOperation], [MeterNames.Caching], HistogramBuckets.Size);

    public static readonly MetricFamily CacheOperationDuration = MetricFamily.FromInstrument(
        InstrumentNames.CacheOperationDuration, "s", MetricType.Histogram,
        "Duration of distributed-cache operations, failed ones with error.type.",
        [Labels.CacheName, Labels.CacheOperation, Labels.ErrorType], [MeterNames.Caching], HistogramBuckets.Latency);

    // ---- The app's Redis client (IncidentTelemetry.StackExchangeRedis) ---------------------------------------------

    public static readonly MetricFamily RedisConnectionFailures = MetricFamily.FromInstrument(
        InstrumentNames.RedisConnectionFailures, "{failure}", MetricType.Counter,
        "Connections to a Redis server that failed or could not be made, by failure type (error.type), as the client saw them.",
        [Labels.RedisName, Labels.ErrorType], [MeterNames.Redis]);

    public static readonly MetricFamily RedisConnectionRestores = MetricFamily.FromInstrument(
        InstrumentNames.RedisConnectionRestores, "{restore}", MetricType.Counter,
        "Connections to a Redis server that the client re-established after a failure.",
        [Labels.RedisName], [MeterNames.Redis]);

    public static readonly MetricFamily RedisPrimaryChanges = MetricFamily.FromInstrument(
        InstrumentNames.RedisPrimaryChanges, "{change}", MetricType.Counter,
        "Times the client followed the primary to a different endpoint (a Sentinel failover or switch-over).",
        [Labels.RedisName], [MeterNames.Redis]);

    // ---- Logins ----------------------------------------------------------------------------------------------------

    public static readonly MetricFamily LoginAttempts = MetricFamily.FromInstrument(
        InstrumentNames.LoginAttempts, "{attempt}", MetricType.Counter,
        "Login attempts by result and method, for logins that ASP.NET Core Identity does not count itself.",
        [Labels.LoginResult, Labels.LoginMethod], [MeterNames.Authentication]);

    public static readonly MetricFamily IdentityCheckPasswordAttempts = MetricFamily.FromInstrument(
        InstrumentNames.IdentityCheckPasswordAttempts, "{attempt}", MetricType.Counter,
        "ASP.NET Core Identity's password checks by result.",
        [Labels.IdentitySignInResult, Labels.IdentityUserType, Labels.ErrorType], [MeterNames.Identity]);

    // ---- Process ---------------------------------------------------------------------------------------------------

    public static readonly MetricFamily ProcessMemoryLimit = MetricFamily.FromInstrument(
        InstrumentNames.ProcessMemoryLimit, "By", MetricType.Gauge,
        "The memory limit the process runs under: its cgroup's limit, else what the GC may use (DOTNET_GCHeapHardLimit or the machine's memory).",
        [Labels.MemoryLimitSource], [MeterNames.Process]);

    public static readonly MetricFamily ProcessUptime = MetricFamily.FromInstrument(
        InstrumentNames.ProcessUptime, "s", MetricType.Gauge,
        "The time the process has been running.",
        [], [MeterNames.Process]);

    public static readonly MetricFamily DotnetWorkingSet = MetricFamily.FromInstrument(
        InstrumentNames.DotnetWorkingSet, "By", MetricType.Gauge,
        "The process's working set (the runtime's own instrument).",
        [], [MeterNames.SystemRuntime]);

    // ---- redis_exporter --------------------------------------------------------------------------------------------

    public static readonly MetricFamily RedisMemoryUsed = MetricFamily.FromOrigin(
        "redis_memory_used_bytes", "By", MetricType.Gauge, "Memory Redis uses.", [], RedisExporter);

    public static readonly MetricFamily RedisMemoryMax = MetricFamily.FromOrigin(
        "redis_memory_max_bytes", "By", MetricType.Gauge, "Redis' maxmemory; 0 when none is set.", [], RedisExporter);

    public static readonly MetricFamily RedisEvictedKeys = MetricFamily.FromOrigin(
        "redis_evicted_keys_total", string.Empty, MetricType.Counter, "Keys Redis evicted because it reached maxmemory.", [], RedisExporter);

    public static readonly MetricFamily RedisSentinelMasterStatus = MetricFamily.FromOrigin(
        "redis_sentinel_master_status", string.Empty, MetricType.Gauge, "Each master a Sentinel monitors, at the address it points clients to (1 = ok).",
        [Labels.MasterName, Labels.MasterAddress, Labels.MasterStatus], RedisExporterSentinel);

    public static readonly MetricFamily RedisSentinelMasterOkSentinels = MetricFamily.FromOrigin(
        "redis_sentinel_master_ok_sentinels", string.Empty, MetricType.Gauge, "Sentinels that see the master as reachable.",
        [Labels.MasterName, Labels.MasterAddress], RedisExporterSentinel);

    public static readonly MetricFamily RedisSentinelMasterCkquorumStatus = MetricFamily.FromOrigin(
        "redis_sentinel_master_ckquorum_status", string.Empty, MetricType.Gauge, "1 when enough Sentinels agree to fail the master over.",
        [Labels.MasterName, Labels.Message], RedisExporterSentinel);

    public static readonly MetricFamily RedisInstanceInfo = MetricFamily.FromOrigin(
        "redis_instance_info", string.Empty, MetricType.Gauge, "The node's role and settings, as labels.",
        [Labels.Role, Labels.MaxMemoryPolicy, Labels.RedisVersion], RedisExporter, moreLabels: true);

    public static readonly MetricFamily RedisUp = MetricFamily.FromOrigin(
        "redis_up", string.Empty, MetricType.Gauge, "1 when the exporter reaches its Redis or Sentinel.", [], RedisExporter);

    // ---- Prometheus and Kubernetes ---------------------------------------------------------------------------------

    public static readonly MetricFamily Up = MetricFamily.FromOrigin(
        "up", string.Empty, MetricType.Gauge, "1 when Prometheus scraped the target.", [Labels.Job, Labels.Instance], "Prometheus");

    public static readonly MetricFamily KubePodRestarts = MetricFamily.FromOrigin(
        "kube_pod_container_status_restarts_total", string.Empty, MetricType.Counter, "Container restarts counted by Kubernetes.",
        [Labels.Namespace, Labels.Pod, Labels.Container], "kube-state-metrics (Kubernetes only; not emitted by the services)");

    public static readonly MetricFamily Alerts = MetricFamily.FromOrigin(
        "ALERTS", string.Empty, MetricType.Gauge, "Prometheus' own series of pending and firing alerts.",
        [Labels.AlertName, Labels.AlertState, Labels.Severity, Labels.Team, Labels.Service, Labels.Priority], "Prometheus (rule evaluation)");

    /// <summary>Every family, in the order of docs/metrics.md.</summary>
    public static readonly IReadOnlyList<MetricFamily> All =
    [
        HttpServerRequestDuration, HttpServerActiveRequests, HttpClientRequestDuration,
        DbConnectionWaitTime, DbConnectionUseTime, DbConnectionCount, DbConnectionMax, DbConnectionPendingRequests, DbConnectionTimeouts, DbOperationDuration,
        CachePayloadSize, CacheOperationDuration,
        RedisConnectionFailures, RedisConnectionRestores, RedisPrimaryChanges,
        LoginAttempts, IdentityCheckPasswordAttempts,
        ProcessMemoryLimit, ProcessUptime, DotnetWorkingSet,
        RedisMemoryUsed, RedisMemoryMax, RedisEvictedKeys, RedisSentinelMasterStatus, RedisSentinelMasterOkSentinels, RedisSentinelMasterCkquorumStatus, RedisInstanceInfo, RedisUp,
        Up, KubePodRestarts, Alerts,
    ];

    /// <summary>The family a Prometheus series name belongs to (histograms: its <c>_bucket</c>, <c>_sum</c>, <c>_count</c>), or null.</summary>
    public static MetricFamily? BySeries(string series) => All.FirstOrDefault(f => f.SeriesNames.Contains(series, StringComparer.Ordinal));
}
