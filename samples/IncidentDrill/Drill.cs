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

    /// <summary>The service whose alerts these are (the <c>service</c> label every expected alert must carry).</summary>
    public abstract string Service { get; }

    /// <summary>Every service the drill starts and Prometheus scrapes: the rules are rendered for these only.</summary>
    public virtual IReadOnlyList<string> Services => [this.Service];

    /// <summary>The service an expected alert is about; most drills have one, the others override this.</summary>
    public virtual string ServiceOf(string alert) => this.Service;

    /// <summary>
    /// About how long the drill takes, for the progress display: starting its components, the baseline, and
    /// the alerts' usual time after the incident (up to <see cref="DrillTiming.AlertTimeout"/> when they are slow).
    /// </summary>
    public virtual TimeSpan ExpectedDuration => TimeSpan.FromSeconds(20) + DrillTiming.Baseline + TimeSpan.FromSeconds(30);

    /// <summary>The moment of customer impact, from the review's words, and how the drill observes it.</summary>
    public abstract DrillImpact Impact { get; }

    /// <summary>Alerts that may fire as a consequence of the scenario, without being asked for.</summary>
    public virtual IReadOnlyList<string> ToleratedAlerts => [];

    /// <summary>Starts what the incident needs, drives it, and waits for the expected alerts.</summary>
    /// <returns>The expected alerts that did not fire.</returns>
    public abstract Task<IReadOnlyList<string>> RunAsync(DrillContext context);
}

/// <summary>The teams of the incident reviews, by service: the <c>team</c> label the bundled rules give each alert.</summary>
internal static class Teams
{
    public static string Of(string service) => service switch
    {
        "payment-service" => "payments",
        "order-service" or "inventory-service" => "orders",
        "api-gateway" => "platform",
        "user-service" => "identity",
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "not a service of the sample shop"),
    };
}

/// <summary>The machine lacks what a drill needs (for example a writable memory cgroup).</summary>
internal sealed class DrillCannotRunException(string message) : Exception(message);
