namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// The one collection of tests that run alone, after the parallel ones and never beside another test. Each test
/// class that joins it says why; the reasons are of four kinds: it measures the process (load, memory, allocation on
/// its thread); it asserts that the library reported nothing on its process-wide event source (some Database tests
/// make a listener throw on purpose, and the library reports that); it sets process environment variables; or it
/// counts measurements of meters whose names every app of the process shares (a MeterProvider listens to meter names,
/// so a parallel test's app would add its requests, logins and clients to the count).
/// </summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
