using IncidentTelemetry.Catalogue;

namespace IncidentTelemetry.Internal;

/// <summary>
/// The core's short names for the catalogue's meters, instruments and attributes (src/Shared/Telemetry, compiled into
/// this assembly and the companion packages as internal source), and the settings that are no names: the meters .NET
/// already publishes that the library listens to, and the default cardinality limit. Every value here is one of the
/// catalogue's; nothing is spelled twice.
/// </summary>
/// <remarks>
/// The companion packages (IncidentTelemetry.SqlClient, IncidentTelemetry.StackExchangeRedis), which cannot see the
/// core's internals, compile this file too, so it refers to nothing of the core but the catalogue.
/// </remarks>
internal static class MetricsConstants
{
    // ---- Meters -------------------------------------------------------------------------------------------------
    public const string DatabaseMeterName = MeterNames.Database;
    public const string CacheMeterName = MeterNames.Caching;
    public const string LoginMeterName = MeterNames.Authentication;
    public const string ProcessMeterName = MeterNames.Process;
    public const string RedisClientMeterName = MeterNames.Redis;
    public const string SqlClientMeterName = MeterNames.SqlClient;
    public const string IdentityMeterName = MeterNames.Identity;
    public const string NpgsqlMeterName = MeterNames.Npgsql;

    /// <summary>
    /// Meters that .NET 10 already publishes and that carry incident signals (docs/metrics.md).
    /// Not Npgsql's: its series name the pool by the data source's <c>Name</c>, which is the connection string
    /// unless set, and carry host and port; the decorator reports every pool series under the pool name.
    /// </summary>
    public static readonly string[] BuiltInMeters =
    [
        MeterNames.AspNetCoreHosting,
        MeterNames.Kestrel,
        MeterNames.AspNetCoreAuthentication,
        MeterNames.Identity,
        MeterNames.SystemNetHttp,
        MeterNames.SystemRuntime,
    ];

    // ---- Buckets and limits -------------------------------------------------------------------------------------

    /// <summary>Latency buckets, in seconds (<see cref="HistogramBuckets.Latency"/>).</summary>
    public static readonly double[] LatencyBuckets = HistogramBuckets.Latency;

    /// <summary>Payload-size buckets, in bytes (<see cref="HistogramBuckets.Size"/>).</summary>
    public static readonly double[] SizeBuckets = HistogramBuckets.Size;

    /// <summary>Default upper bound on the series of one instrument; the rest go to the overflow series.</summary>
    public const int DefaultCardinalityLimit = 2000;

    // ---- Instruments --------------------------------------------------------------------------------------------
    public const string DbConnectionWaitTimeInstrument = InstrumentNames.DbConnectionWaitTime;
    public const string DbConnectionUseTimeInstrument = InstrumentNames.DbConnectionUseTime;
    public const string DbConnectionTimeoutsInstrument = InstrumentNames.DbConnectionTimeouts;
    public const string DbConnectionCountInstrument = InstrumentNames.DbConnectionCount;
    public const string DbConnectionMaxInstrument = InstrumentNames.DbConnectionMax;
    public const string DbConnectionPendingRequestsInstrument = InstrumentNames.DbConnectionPendingRequests;
    public const string DbOperationDurationInstrument = InstrumentNames.DbOperationDuration;
    public const string CachePayloadSizeInstrument = InstrumentNames.CachePayloadSize;
    public const string CacheOperationDurationInstrument = InstrumentNames.CacheOperationDuration;
    public const string LoginAttemptsInstrument = InstrumentNames.LoginAttempts;
    public const string IdentityCheckPasswordInstrument = InstrumentNames.IdentityCheckPasswordAttempts;
    public const string ProcessMemoryLimitInstrument = InstrumentNames.ProcessMemoryLimit;
    public const string ProcessUptimeInstrument = InstrumentNames.ProcessUptime;
    public const string RedisConnectionFailuresInstrument = InstrumentNames.RedisConnectionFailures;
    public const string RedisConnectionRestoresInstrument = InstrumentNames.RedisConnectionRestores;
    public const string RedisPrimaryChangesInstrument = InstrumentNames.RedisPrimaryChanges;

    // ---- Attributes ---------------------------------------------------------------------------------------------
    public const string ServiceNameAttribute = AttributeNames.ServiceName;
    public const string ServiceNamespaceAttribute = AttributeNames.ServiceNamespace;
    public const string ServiceVersionAttribute = AttributeNames.ServiceVersion;
    public const string ServiceInstanceIdAttribute = AttributeNames.ServiceInstanceId;
    public const string ErrorTypeAttribute = AttributeNames.ErrorType;
    public const string PeerServiceAttribute = AttributeNames.PeerService;
    public const string DbConnectionPoolNameAttribute = AttributeNames.DbConnectionPoolName;
    public const string DbConnectionStateAttribute = AttributeNames.DbConnectionState;
    public const string DbSystemNameAttribute = AttributeNames.DbSystemName;
    public const string DbOperationNameAttribute = AttributeNames.DbOperationName;
    public const string DbResponseStatusCodeAttribute = AttributeNames.DbResponseStatusCode;
    public const string CacheNameAttribute = AttributeNames.CacheName;
    public const string CacheOperationAttribute = AttributeNames.CacheOperation;
    public const string LoginResultAttribute = AttributeNames.LoginResult;
    public const string LoginMethodAttribute = AttributeNames.LoginMethod;
    public const string MemoryLimitSourceAttribute = AttributeNames.MemoryLimitSource;
    public const string RedisNameAttribute = AttributeNames.RedisName;
}
