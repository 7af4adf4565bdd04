namespace IncidentTelemetry.Rules;

/// <summary>How alerting rules are put into rule groups (see <see cref="RulesConfiguration.RuleGrouping"/>).</summary>
public enum RuleGrouping
{
    /// <summary>One group per service (split into numbered parts above the group size): the default.</summary>
    Service = 0,

    /// <summary>
    /// One group per team (split into numbered parts above the group size). A team's services whose settings are the
    /// same and whose job is their name share one rule per alert, selecting all their jobs: the rule count then grows
    /// with the teams, not the services, which is what keeps a hundred services within a ruler's group limits.
    /// </summary>
    Team = 1,
}
