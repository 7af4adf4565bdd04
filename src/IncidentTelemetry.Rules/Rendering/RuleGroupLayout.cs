using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Definitions;

namespace IncidentTelemetry.Rules.Rendering;

/// <summary>One rule group as rendered: its name and its recording rules or its alerts (each with the service it is for).</summary>
internal sealed record RuleGroup(string Name, IReadOnlyList<RecordingRule> Recording, IReadOnlyList<(AlertDefinition Alert, ServiceConfiguration Service)> Alerts)
{
    public int Count => this.Recording.Count + this.Alerts.Count;
}

/// <summary>
/// Puts the rules into groups of at most <see cref="RulesConfiguration.MaxRulesPerGroup"/>: Mimir's ruler refuses a
/// larger group, and the rulers shard their work by group. Recording rules that read each other stay in one group,
/// in order, so each evaluation sees the series its predecessor recorded in the same round (across groups it would
/// see the previous round's, or none in promtool). Alerts are grouped per service or per team.
/// </summary>
internal static partial class RuleGroupLayout
{
    public static IReadOnlyList<RuleGroup> Of(RulesConfiguration configuration, RuleContext context)
    {
        var max = configuration.MaxRulesPerGroup;
        var groups = new List<RuleGroup>();
        groups.AddRange(Recording(Recorded.All(context), max).Select((rules, i) => new RuleGroup(Part(RuleWriter.RecordingGroup, i), rules, [])));
        var units = configuration.RuleGrouping == RuleGrouping.Team ? ByTeam(configuration) : ByService(configuration);
        foreach (var (name, alerts) in units)
        {
            groups.AddRange(alerts.Chunk(max).Select((part, i) => new RuleGroup(Part(name, i), [], part)));
        }

        return groups;
    }

    /// <summary>The first part keeps the plain name (as before groups were split), the next ones get <c>.2</c>, <c>.3</c>.</summary>
    private static string Part(string name, int index) => index == 0 ? name : $"{name}.{index + 1}";

    /// <summary>
    /// Chains of recording rules (a rule and every rule that reads it, directly or not) packed in order into groups
    /// of at most <paramref name="max"/> rules, each group's rules in their defined order.
    /// </summary>
    private static List<List<RecordingRule>> Recording(IReadOnlyList<RecordingRule> rules, int max)
    {
        // Union-find over "reads": rule j reads rule i when i's record name appears in j's expression as a whole name.
        var parent = Enumerable.Range(0, rules.Count).ToArray();
        int Root(int i) => parent[i] == i ? i : parent[i] = Root(parent[i]);
        for (var j = 0; j < rules.Count; j++)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                if (i != j && Reads(rules[j].Expression, rules[i].Record))
                {
                    parent[Root(j)] = Root(i);
                }
            }
        }

        var chains = Enumerable.Range(0, rules.Count).GroupBy(Root).Select(g => g.ToList()).ToList();
        var longest = chains.MaxBy(c => c.Count);
        if (longest is not null && longest.Count > max)
        {
            throw new RulesConfigurationException("ruleGroups.maxRules",
                $"{max} is below the {longest.Count} recording rules that read each other ({string.Join(", ", longest.Select(i => rules[i].Record))}), which must share a group");
        }

        var packed = new List<List<int>>();
        foreach (var chain in chains)
        {
            if (packed.Count == 0 || packed[^1].Count + chain.Count > max)
            {
                packed.Add([]);
            }

            packed[^1].AddRange(chain);
        }

        return [.. packed.Select(group => group.Order().Select(i => rules[i]).ToList())];
    }

    private static bool Reads(string expression, string record)
        => Regex.IsMatch(expression, $@"(?<![A-Za-z0-9_:]){Regex.Escape(record)}(?![A-Za-z0-9_:])", RegexOptions.CultureInvariant);

    private static IEnumerable<(string Name, List<(AlertDefinition, ServiceConfiguration)> Alerts)> ByService(RulesConfiguration configuration)
        => configuration.Groups.Select(s => (RuleWriter.AlertGroupPrefix + s.Name, AlertsOf(s)));

    /// <summary>
    /// One group (with parts) per team, then the other services. Within a team, services whose settings are the same
    /// and whose job and container are their name share one rule per alert; the Redis exporter alerts, which select
    /// the service's own exporter jobs, stay per service.
    /// </summary>
    private static IEnumerable<(string Name, List<(AlertDefinition, ServiceConfiguration)> Alerts)> ByTeam(RulesConfiguration configuration)
    {
        foreach (var team in configuration.Services.GroupBy(s => s.Team, StringComparer.Ordinal))
        {
            var alerts = new List<(AlertDefinition, ServiceConfiguration)>();

            // One set of shared rules per team, for its most common settings: two shared sets would carry the same
            // labels (service from the job), which promtool's lint reports as duplicates. The others get their own.
            var shareable = team.Where(Shareable).GroupBy(SettingsKey, StringComparer.Ordinal)
                .Select(g => g.ToList()).OrderByDescending(g => g.Count).FirstOrDefault() ?? [];
            if (shareable.Count > 0)
            {
                var services = shareable;
                var shared = services[0].Clone();
                shared.ChosenAlerts = [.. services[0].Alerts.Where(a => !ReadsExporterJobs(a))];
                if (services.Count > 1)
                {
                    shared.Job = string.Join('|', services.Select(s => s.Job));
                    shared.KubeContainer = shared.Job;
                    shared.SharedBy = [.. services.Select(s => s.Name)];
                }

                alerts.AddRange(AlertsOf(shared));
            }

            foreach (var service in team)
            {
                var own = service.Clone();
                own.ChosenAlerts = shareable.Contains(service) ? [.. service.Alerts.Where(ReadsExporterJobs)] : service.Alerts;
                alerts.AddRange(AlertsOf(own));
            }

            yield return ($"{RuleWriter.AlertGroupPrefix}team.{team.Key}", alerts);
        }

        if (configuration.OtherServices is { } others)
        {
            yield return (RuleWriter.AlertGroupPrefix + others.Name, AlertsOf(others));
        }
    }

    private static List<(AlertDefinition, ServiceConfiguration)> AlertsOf(ServiceConfiguration service)
        => [.. AlertCatalog.All.Where(a => service.Alerts.Contains(a.Name)).Select(a => (a, service))];

    private static bool ReadsExporterJobs(string alert) => AlertCatalog.ByName[alert].Needs is AlertNeeds.RedisJob or AlertNeeds.SentinelJob or AlertNeeds.RedisOrSentinelJob;

    /// <summary>A service can share rules when its job and container are its name, so the job label names the service.</summary>
    private static bool Shareable(ServiceConfiguration s)
        => s.Job == Regex.Escape(s.Name) && s.KubeContainer == s.Job;

    /// <summary>Everything that shapes a service's shared rules: equal keys render identical rules but for the job.</summary>
    private static string SettingsKey(ServiceConfiguration s)
    {
        static string Map<T>(IReadOnlyDictionary<string, T> map) => string.Join(';', map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
        return string.Join('\n',
            s.Team, s.Priority, string.Join(',', s.Alerts.Where(a => !ReadsExporterJobs(a))), Map(s.Thresholds), Map(s.For), Map(s.Priorities), Map(s.Labels), s.DependencyPeers, s.Objectives?.Key);
    }
}
