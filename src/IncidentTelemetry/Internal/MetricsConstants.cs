namespace IncidentTelemetry.Internal;

/// <summary>
/// Every name the library reports under, and every bucket boundary, in one file: meter names, instrument names,
/// attribute names (OpenTelemetry semantic conventions and the library's own <c>incident.*</c>), the histogram
/// buckets and the default cardinality limit. The bundled alert rules, the dashboards and docs/metrics.md query these
/// names, so renaming one renames a series they rely on.
/// </summary>
/// <remarks>
/// One file, not a folder, so that the companion packages (IncidentTelemetry.SqlClient,
/// IncidentTelemetry.StackExchangeRedis), which cannot see the core's internals, compile the very same file
/// (<c>&lt;Compile Include="../IncidentTelemetry/Internal/MetricsConstants.cs" Link="..."/&gt;</c>) instead of
/// repeating the names. It therefore refers to nothing else of the core. Sections: meters, buckets and limits,
/// instruments (by signal), attributes (resource, semantic conventions, the library's own).
/// </remarks>
internal static class MetricsConstants
{
    // ---- Meters -------------------------------------------------------------------------------------------------

    /// <summary>Meter of the connection-pool decorator (<c>db.client.connection.*</c>, <c>db.client.operation.duration</c>).</summary>
    public const string DatabaseMeterName = "IncidentTelemetry.Database";

    /// <summary>Meter of the <c>IDistributedCache</c> decorator (<c>incident.cache.*</c>).</summary>
    public const string CacheMeterName = "IncidentTelemetry.Caching";

    /// <summary>Meter of login attempts recorded by the app (<c>incident.login.attempts</c>).</summary>
    public const string LoginMeterName = "IncidentTelemetry.Authentication";

    /// <summary>Meter of the process memory limit and uptime (<c>incident.process.memory.limit</c>, <c>process.uptime</c>).</summary>
    public const string ProcessMeterName = "IncidentTelemetry.Process";

    /// <summary>
    /// Meter of the app's own view of Redis (<c>incident.redis.client.*</c>), published by the package
    /// IncidentTelemetry.StackExchangeRedis; listened to by the core so that referencing that package is enough.
    /// </summary>
    public const string RedisClientMeterName = "IncidentTelemetry.Redis";

    /// <summary>Meter of OpenTelemetry.Instrumentation.SqlClient, whose operation duration the SqlClient package turns on.</summary>
    public const string SqlClientMeterName = "OpenTelemetry.Instrumentation.SqlClient";

    /// <summary>ASP.NET Core Identity's meter (one of <see cref="BuiltInMeters"/>).</summary>
    public const string IdentityMeterName = "Microsoft.AspNetCore.Identity";

    /// <summary>Npgsql's meter, refused in <c>AdditionalMeters</c> (see <see cref="BuiltInMeters"/>).</summary>
    public const string NpgsqlMeterName = "Npgsql";

    /// <summary>
    /// Meters that .NET 10 already publishes and that carry incident signals (docs/metrics.md).
    /// Not Npgsql's: its series name the pool by the data source's <c>Name</c>, which is the connection string
    /// unless set, and carry host and port; the decorator reports every pool series under the pool name.
    /// </summary>
    public static readonly string[] BuiltInMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Authentication",
        IdentityMeterName,
        "System.Net.Http",
        "System.Runtime",
    ];

    // ---- Buckets and limits -------------------------------------------------------------------------------------

    /// <summary>
    /// Latency buckets, in seconds. They extend the ASP.NET Core defaults
    /// (0.005 … 10 s, from the OpenTelemetry HTTP semantic conventions) with 1.5 s and 2 s so that
    /// every threshold in the incident reviews (100 ms, 500 ms, 1 s, 2 s) is a bucket boundary:
    /// <c>histogram_quantile</c> is then exact at the threshold the alert compares with.
    /// </summary>
    public static readonly double[] LatencyBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 7.5, 10];

    /// <summary>
    /// Payload-size buckets, in bytes: powers of four from 256 B to 16 MiB. Session payloads that grew
    /// from a few KB to hundreds of KB (week 49, incident 1) move across several buckets.
    /// </summary>
    public static readonly double[] SizeBuckets =
        [256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];

    /// <summary>Default upper bound on the series of one instrument; the rest go to the overflow series.</summary>
    public const int DefaultCardinalityLimit = 2000;

    // ---- Instruments: connection pool (OpenTelemetry database semantic conventions) -----------------------------

    /// <summary><c>db.client.connection.wait_time</c>: time to obtain an open connection from the pool.</summary>
    public const string DbConnectionWaitTimeInstrument = "db.client.connection.wait_time";

    /// <summary><c>db.client.connection.use_time</c>: time between borrowing a connection and returning it.</summary>
    public const string DbConnectionUseTimeInstrument = "db.client.connection.use_time";

    /// <summary><c>db.client.connection.timeouts</c>: opens that timed out waiting for the pool.</summary>
    public const string DbConnectionTimeoutsInstrument = "db.client.connection.timeouts";

    /// <summary><c>db.client.connection.count</c>: connections in the state of <see cref="DbConnectionStateAttribute"/>.</summary>
    public const string DbConnectionCountInstrument = "db.client.connection.count";

    /// <summary><c>db.client.connection.max</c>: the pool's maximum.</summary>
    public const string DbConnectionMaxInstrument = "db.client.connection.max";

    /// <summary><c>db.client.connection.pending_requests</c>: opens waiting for a connection.</summary>
    public const string DbConnectionPendingRequestsInstrument = "db.client.connection.pending_requests";

    /// <summary><c>db.client.operation.duration</c>: duration of a database operation (also SqlClient's instrument).</summary>
    public const string DbOperationDurationInstrument = "db.client.operation.duration";

    // ---- Instruments: session payloads (the library's own) ------------------------------------------------------

    /// <summary><c>incident.cache.payload.size</c>: bytes read from or written to the distributed cache.</summary>
    public const string CachePayloadSizeInstrument = "incident.cache.payload.size";

    /// <summary><c>incident.cache.operation.duration</c>: duration of a distributed-cache operation.</summary>
    public const string CacheOperationDurationInstrument = "incident.cache.operation.duration";

    // ---- Instruments: logins ------------------------------------------------------------------------------------

    /// <summary><c>incident.login.attempts</c>: login attempts the app records.</summary>
    public const string LoginAttemptsInstrument = "incident.login.attempts";

    /// <summary>ASP.NET Core Identity's password checks, on <see cref="IdentityMeterName"/>: an attempt it counted is not counted again.</summary>
    public const string IdentityCheckPasswordInstrument = "aspnetcore.identity.sign_in.check_password_attempts";

    // ---- Instruments: process -----------------------------------------------------------------------------------

    /// <summary><c>incident.process.memory.limit</c>: the memory limit the process runs under, in bytes.</summary>
    public const string ProcessMemoryLimitInstrument = "incident.process.memory.limit";

    /// <summary>Semantic convention <c>process.uptime</c>: seconds since the process started; drops on every restart.</summary>
    public const string ProcessUptimeInstrument = "process.uptime";

    // ---- Instruments: Redis client (IncidentTelemetry.StackExchangeRedis) ---------------------------------------

    /// <summary><c>incident.redis.client.connection.failures</c>: connections that failed or could not be made.</summary>
    public const string RedisConnectionFailuresInstrument = "incident.redis.client.connection.failures";

    /// <summary><c>incident.redis.client.connection.restores</c>: connections re-established after a failure.</summary>
    public const string RedisConnectionRestoresInstrument = "incident.redis.client.connection.restores";

    /// <summary><c>incident.redis.client.primary.changes</c>: times the client followed the primary elsewhere.</summary>
    public const string RedisPrimaryChangesInstrument = "incident.redis.client.primary.changes";

    // ---- Attributes: resource -----------------------------------------------------------------------------------

    /// <summary>Resource attribute <c>service.name</c>.</summary>
    public const string ServiceNameAttribute = "service.name";

    /// <summary>Resource attribute <c>service.namespace</c>.</summary>
    public const string ServiceNamespaceAttribute = "service.namespace";

    /// <summary>Resource attribute <c>service.version</c>.</summary>
    public const string ServiceVersionAttribute = "service.version";

    /// <summary>Resource attribute <c>service.instance.id</c>.</summary>
    public const string ServiceInstanceIdAttribute = "service.instance.id";

    // ---- Attributes: semantic conventions -----------------------------------------------------------------------

    /// <summary>The class of error an operation ended with (the exception's type, or a failure type).</summary>
    public const string ErrorTypeAttribute = "error.type";

    /// <summary>The logical name of the remote service a client calls (added to <c>http.client.request.duration</c>).</summary>
    public const string PeerServiceAttribute = "peer.service";

    /// <summary>The pool name the app gave; on every pool series.</summary>
    public const string DbConnectionPoolNameAttribute = "db.client.connection.pool.name";

    /// <summary>The state of a pooled connection (<c>idle</c>, <c>used</c>).</summary>
    public const string DbConnectionStateAttribute = "db.client.connection.state";

    /// <summary>The database system (<c>postgresql</c>, <c>microsoft.sql_server</c>, …).</summary>
    public const string DbSystemNameAttribute = "db.system.name";

    /// <summary>The operation (<c>SELECT</c>, <c>INSERT</c>, …), never the statement.</summary>
    public const string DbOperationNameAttribute = "db.operation.name";

    /// <summary>The status code the database returned (set by SqlClient's instrumentation).</summary>
    public const string DbResponseStatusCodeAttribute = "db.response.status_code";

    // ---- Attributes: the library's own --------------------------------------------------------------------------

    /// <summary>The cache name the app gave.</summary>
    public const string CacheNameAttribute = "incident.cache.name";

    /// <summary>The cache operation (<c>read</c>, <c>write</c>, <c>refresh</c>, <c>remove</c>).</summary>
    public const string CacheOperationAttribute = "incident.cache.operation";

    /// <summary>The result of a login attempt.</summary>
    public const string LoginResultAttribute = "incident.login.result";

    /// <summary>The login method the app gave.</summary>
    public const string LoginMethodAttribute = "incident.login.method";

    /// <summary>Where the memory limit was read from (<c>cgroup_v2</c>, <c>cgroup_v1</c>, <c>gc</c>).</summary>
    public const string MemoryLimitSourceAttribute = "incident.memory.limit.source";

    /// <summary>The logical Redis name the app gave (IncidentTelemetry.StackExchangeRedis).</summary>
    public const string RedisNameAttribute = "redis.name";
}
