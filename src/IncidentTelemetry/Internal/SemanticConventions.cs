namespace IncidentTelemetry.Internal;

/// <summary>
/// Attribute and instrument names, in one place: those of the OpenTelemetry semantic conventions the library
/// reports under, and the library's own (<c>incident.*</c>). Meter names and bucket boundaries are in
/// <see cref="MetricsConstants"/>. Renaming any of these renames a series the bundled rules and dashboards query.
/// </summary>
internal static class SemanticConventions
{
    /// <summary>Resource attribute <c>service.name</c>.</summary>
    public const string ServiceName = "service.name";

    /// <summary>Resource attribute <c>service.namespace</c>.</summary>
    public const string ServiceNamespace = "service.namespace";

    /// <summary>Resource attribute <c>service.version</c>.</summary>
    public const string ServiceVersion = "service.version";

    /// <summary>Resource attribute <c>service.instance.id</c>.</summary>
    public const string ServiceInstanceId = "service.instance.id";

    /// <summary>The logical name of the remote service a client calls (added to <c>http.client.request.duration</c>).</summary>
    public const string PeerService = "peer.service";

    /// <summary>The class of error an operation ended with.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The database system (<c>postgresql</c>, <c>microsoft.sql_server</c>, …).</summary>
    public const string DbSystemName = "db.system.name";

    /// <summary>The state of a pooled connection (<c>idle</c>, <c>used</c>).</summary>
    public const string DbClientConnectionState = "db.client.connection.state";

    /// <summary>Instrument <c>process.uptime</c>: seconds since the process started; drops on every restart.</summary>
    public const string ProcessUptime = "process.uptime";

    /// <summary>The library's instrument for the memory limit the process runs under, in bytes.</summary>
    public const string ProcessMemoryLimit = "incident.process.memory.limit";

    /// <summary>Where the memory limit was read from (<c>cgroup_v2</c>, <c>cgroup_v1</c>, <c>gc</c>).</summary>
    public const string MemoryLimitSource = "incident.memory.limit.source";
}
