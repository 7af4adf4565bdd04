namespace IncidentDrill;

/// <summary>One incident from the reviews, reproduced against real components.</summary>
internal abstract class Drill
{
    /// <summary>Short name used on the command line, for example <c>w50-1</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The incident, in the review's words.</summary>
    public abstract string Title { get; }

    /// <summary>Alerts that must fire.</summary>
    public abstract IReadOnlyList<string> ExpectedAlerts { get; }

    /// <summary>Alerts that may fire as a consequence of the scenario, without being asked for.</summary>
    public virtual IReadOnlyList<string> ToleratedAlerts => [];

    /// <summary>Starts what the incident needs, drives it, and waits for the expected alerts.</summary>
    /// <returns>The expected alerts that did not fire.</returns>
    public abstract Task<IReadOnlyList<string>> RunAsync(DrillContext context);
}

/// <summary>The machine lacks what a drill needs (for example a writable memory cgroup).</summary>
internal sealed class DrillCannotRunException(string message) : Exception(message);
