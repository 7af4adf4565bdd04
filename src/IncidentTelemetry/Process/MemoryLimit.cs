namespace IncidentTelemetry.Process;

/// <summary>Where a memory limit was read from; becomes the <c>incident.memory.limit.source</c> attribute.</summary>
internal enum MemoryLimitSource
{
    /// <summary>cgroup v2 <c>memory.max</c> (Kubernetes and Docker on current distributions).</summary>
    CgroupV2,

    /// <summary>cgroup v1 <c>memory.limit_in_bytes</c> (older nodes, hybrid hierarchies).</summary>
    CgroupV1,

    /// <summary>What the GC sees: <c>DOTNET_GCHeapHardLimit</c>, a container limit, or the machine's memory.</summary>
    Gc,
}

/// <summary>A memory limit in bytes and where it came from.</summary>
internal readonly record struct MemoryLimit(long Bytes, MemoryLimitSource Source);
