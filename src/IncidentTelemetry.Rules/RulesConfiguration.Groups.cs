namespace IncidentTelemetry.Rules;

/// <summary>The rule groups' size, grouping and evaluation interval (the <c>ruleGroups</c> section).</summary>
public sealed partial class RulesConfiguration
{
    /// <summary>
    /// Mimir's default <c>-ruler.max-rules-per-rule-group</c>; Cortex and Loki have the same limit, off by default.
    /// </summary>
    public const int DefaultMaxRulesPerGroup = 20;

    /// <summary>
    /// At most this many rules in one group; a larger group is split into numbered parts (<c>incident-telemetry.x</c>,
    /// <c>incident-telemetry.x.2</c>, …), recording rules that read each other always in the same part. Default:
    /// <see cref="DefaultMaxRulesPerGroup"/> (20).
    /// </summary>
    public int MaxRulesPerGroup { get; private set; } = DefaultMaxRulesPerGroup;

    /// <summary>How alerting rules are grouped: per service or per team. Default: <see cref="Rules.RuleGrouping.Service"/>.</summary>
    public RuleGrouping RuleGrouping { get; private set; } = RuleGrouping.Service;

    /// <summary>
    /// The <c>interval</c> written on every group (not divided by the time scale); null leaves it to the ruler's
    /// global evaluation interval. Default: <see langword="null"/>.
    /// </summary>
    public TimeSpan? EvaluationInterval { get; private set; }

    /// <summary>Sets the group size, the grouping and the evaluation interval of every group.</summary>
    /// <param name="maxRules">At most this many rules per group, at least 1; rendering fails when a chain of recording rules that read each other (5 today) is longer.</param>
    /// <param name="grouping">Per service or per team.</param>
    /// <param name="interval">The groups' evaluation interval, greater than zero; null for the ruler's own.</param>
    /// <exception cref="RulesConfigurationException">A value is out of range.</exception>
    public RulesConfiguration WithRuleGroups(int maxRules = DefaultMaxRulesPerGroup, RuleGrouping grouping = RuleGrouping.Service, TimeSpan? interval = null)
    {
        var copy = this.Copy();
        copy.SetRuleGroups(maxRules, grouping, interval);
        return copy;
    }

    internal void SetRuleGroups(int? maxRules, RuleGrouping? grouping, TimeSpan? interval)
    {
        if (maxRules is { } max)
        {
            if (max < 1)
            {
                throw new RulesConfigurationException("ruleGroups.maxRules", $"{max} must be a whole number of at least 1");
            }

            this.MaxRulesPerGroup = max;
        }

        if (grouping is { } by)
        {
            if (!Enum.IsDefined(by))
            {
                throw new RulesConfigurationException("ruleGroups.by", $"'{by}' is not service or team");
            }

            this.RuleGrouping = by;
        }

        if (interval is { } every)
        {
            if (every <= TimeSpan.Zero)
            {
                throw new RulesConfigurationException("ruleGroups.interval", "must be greater than 0");
            }

            this.EvaluationInterval = every;
        }
    }
}
