namespace IncidentTelemetry.Catalogue;

// The OpenTelemetry spellings of every name the library reports under or reads: meters, instruments and attributes.
// They are constants (not derived) because instruments, views and tag lists need them at compile time; the Prometheus
// spellings are derived from them in MetricCatalogue and Labels. This folder is compiled, as internal source, into
// every assembly that needs the names (the core, the companion packages, the rules and the dashboards): one source,
// no public API. Nothing here refers to anything outside this folder.

/// <summary>The meters the library publishes or listens to.</summary>
internal static class MeterNames
{
    /// <summary>The connection-pool decorator (<c>db.client.connection.*</c>, <c>db.client.operation.duration</c>).</summary>
    public const string Database = "IncidentTelemetry.Database";

    /// <summary>The <c>IDistributedCache</c> decorator (<c>incident.cache.*</c>).</summary>
    public const string Caching = "IncidentTelemetry.Caching";

    /// <summary>Login attempts recorded by the app (<c>incident.login.attempts</c>).</summary>
    public const string Authentication = "IncidentTelemetry.Authentication";

    /// <summary>The process memory limit and uptime.</summary>
    public const string Process = "IncidentTelemetry.Process";

    /// <summary>The app's own view of Redis (package IncidentTelemetry.StackExchangeRedis).</summary>
    public const string Redis = "IncidentTelemetry.Redis";

    /// <summary>OpenTelemetry.Instrumentation.SqlClient, whose operation duration the SqlClient package turns on.</summary>
    public const string SqlClient = "OpenTelemetry.Instrumentation.SqlClient";

    /// <summary>ASP.NET Core's hosting meter (<c>http.server.*</c>).</summary>
    public const string AspNetCoreHosting = "Microsoft.AspNetCore.Hosting";

    /// <summary>Kestrel's meter.</summary>
    public const string Kestrel = "Microsoft.AspNetCore.Server.Kestrel";

    /// <summary>ASP.NET Core authentication's meter.</summary>
    public const string AspNetCoreAuthentication = "Microsoft.AspNetCore.Authentication";

    /// <summary>ASP.NET Core Identity's meter.</summary>
    public const string Identity = "Microsoft.AspNetCore.Identity";

    /// <summary>The runtime's HTTP client meter (<c>http.client.*</c>).</summary>
    public const string SystemNetHttp = "System.Net.Http";

    /// <summary>The runtime's own meter (<c>dotnet.*</c>).</summary>
    public const string SystemRuntime = "System.Runtime";

    /// <summary>Npgsql's meter, which the library does not export (its series name the pool by the connection string).</summary>
    public const string Npgsql = "Npgsql";
}

/// <summary>Instrument names (OpenTelemetry semantic conventions, or the library's own <c>incident.*</c>).</summary>
internal static class InstrumentNames
{
    public const string HttpServerRequestDuration = "http.server.request.duration";
    public const string HttpServerActiveRequests = "http.server.active_requests";
    public const string HttpClientRequestDuration = "http.client.request.duration";
    public const string DbConnectionWaitTime = "db.client.connection.wait_time";
    public const string DbConnectionUseTime = "db.client.connection.use_time";
    public const string DbConnectionCount = "db.client.connection.count";
    public const string DbConnectionMax = "db.client.connection.max";
    public const string DbConnectionPendingRequests = "db.client.connection.pending_requests";
    public const string DbConnectionTimeouts = "db.client.connection.timeouts";
    public const string DbOperationDuration = "db.client.operation.duration";
    public const string CachePayloadSize = "incident.cache.payload.size";
    public const string CacheOperationDuration = "incident.cache.operation.duration";
    public const string RedisConnectionFailures = "incident.redis.client.connection.failures";
    public const string RedisConnectionRestores = "incident.redis.client.connection.restores";
    public const string RedisPrimaryChanges = "incident.redis.client.primary.changes";
    public const string LoginAttempts = "incident.login.attempts";
    public const string IdentityCheckPasswordAttempts = "aspnetcore.identity.sign_in.check_password_attempts";
    public const string ProcessMemoryLimit = "incident.process.memory.limit";
    public const string ProcessUptime = "process.uptime";
    public const string DotnetWorkingSet = "dotnet.process.memory.working_set";
}

/// <summary>Attribute names (resource, semantic conventions, the library's own <c>incident.*</c>).</summary>
internal static class AttributeNames
{
    // Resource.
    public const string ServiceName = "service.name";
    public const string ServiceNamespace = "service.namespace";
    public const string ServiceVersion = "service.version";
    public const string ServiceInstanceId = "service.instance.id";

    // Semantic conventions.
    public const string ErrorType = "error.type";
    public const string PeerService = "peer.service";
    public const string HttpRoute = "http.route";
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string UrlScheme = "url.scheme";
    public const string NetworkProtocolVersion = "network.protocol.version";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string AspNetCoreRequestIsUnhandled = "aspnetcore.request.is_unhandled";
    public const string IdentitySignInResult = "aspnetcore.identity.sign_in.result";
    public const string IdentityUserType = "aspnetcore.identity.user_type";
    public const string DbConnectionPoolName = "db.client.connection.pool.name";
    public const string DbConnectionState = "db.client.connection.state";
    public const string DbSystemName = "db.system.name";
    public const string DbOperationName = "db.operation.name";
    public const string DbResponseStatusCode = "db.response.status_code";

    // The library's own.
    public const string CacheName = "incident.cache.name";
    public const string CacheOperation = "incident.cache.operation";
    public const string LoginResult = "incident.login.result";
    public const string LoginMethod = "incident.login.method";
    public const string MemoryLimitSource = "incident.memory.limit.source";
    public const string RedisName = "redis.name";
}
