namespace IncidentTelemetry.Caching;

/// <summary>The bounded values of <c>incident.cache.operation</c>.</summary>
internal enum CacheOperation
{
    /// <summary><c>read</c>: Get, GetAsync, TryGet, TryGetAsync.</summary>
    Read,

    /// <summary><c>write</c>: Set, SetAsync.</summary>
    Write,

    /// <summary><c>refresh</c>: Refresh, RefreshAsync (sliding expiration reset, no payload).</summary>
    Refresh,

    /// <summary><c>remove</c>: Remove, RemoveAsync.</summary>
    Remove,
}
