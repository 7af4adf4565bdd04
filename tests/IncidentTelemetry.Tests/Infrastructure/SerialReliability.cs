namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// Tests that measure the process (load, memory) or assert that the library reported no trouble on its
/// process-wide event source run alone, not beside the rest of the suite (some Database tests make a listener
/// throw on purpose, and the library reports that).
/// </summary>
[CollectionDefinition(nameof(SerialReliability), DisableParallelization = true)]
public sealed class SerialReliability;
