namespace IncidentTelemetry.Internal;

/// <summary>
/// Meter names and histogram bucket boundaries, kept in one place so that the alert rules,
/// the dashboards and the docs can rely on them.
/// </summary>
internal static class MetricsConstants
{
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
    /// IncidentTelemetry.StackExchangeRedis; listened to here so that referencing that package is enough.
    /// </summary>
    public const string RedisClientMeterName = "IncidentTelemetry.Redis";

    /// <summary>The library's own meters (and those of its companion packages).</summary>
    public static readonly string[] OwnMeters =
    [
        DatabaseMeterName,
        CacheMeterName,
        LoginMeterName,
        ProcessMeterName,
        RedisClientMeterName,
    ];

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
        "Microsoft.AspNetCore.Identity",
        "System.Net.Http",
        "System.Runtime",
    ];

    /// <summary>Npgsql's meter, refused in <c>AdditionalMeters</c> (see <see cref="BuiltInMeters"/>).</summary>
    public const string NpgsqlMeterName = "Npgsql";

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

    /// <summary>Semantic-convention attribute: the exception's type on a failed operation.</summary>
    public const string ErrorTypeAttribute = "error.type";

    /// <summary>Database semantic-convention attributes the pool decorator sets.</summary>
    public const string DbConnectionPoolNameAttribute = "db.client.connection.pool.name";

    /// <inheritdoc cref="DbConnectionPoolNameAttribute"/>
    public const string DbConnectionStateAttribute = "db.client.connection.state";

    /// <inheritdoc cref="DbConnectionPoolNameAttribute"/>
    public const string DbSystemNameAttribute = "db.system.name";

    /// <inheritdoc cref="DbConnectionPoolNameAttribute"/>
    public const string DbOperationNameAttribute = "db.operation.name";

    /// <summary>Default upper bound on the series of one instrument; the rest go to the overflow series.</summary>
    public const int DefaultCardinalityLimit = 2000;
}
