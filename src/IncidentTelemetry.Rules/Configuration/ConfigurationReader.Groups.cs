using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>The <c>ruleGroups</c> section: group size, grouping and evaluation interval.</summary>
internal static partial class ConfigurationReader
{
    private static readonly string[] RuleGroupKeys = ["maxRules", "by", "interval"];

    private static void RuleGroups(RulesConfiguration result, YamlNode value, string path)
    {
        int? maxRules = null;
        RuleGrouping? grouping = null;
        TimeSpan? interval = null;
        foreach (var (key, entry) in Entries(value, path, RuleGroupKeys))
        {
            var p = $"{path}.{key}";
            switch (key)
            {
                case "maxRules":
                    var text = Scalar(entry, p);
                    maxRules = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && max >= 1
                        ? max
                        : throw new RulesConfigurationException(p, $"'{text}' is not a whole number of at least 1");
                    break;
                case "by":
                    grouping = Scalar(entry, p) switch
                    {
                        "service" => RuleGrouping.Service,
                        "team" => RuleGrouping.Team,
                        var other => throw new RulesConfigurationException(p, $"'{other}' is not service or team"),
                    };
                    break;
                default:
                    interval = Duration(entry, p);
                    if (interval <= TimeSpan.Zero)
                    {
                        throw new RulesConfigurationException(p, "must be greater than 0");
                    }

                    break;
            }
        }

        result.SetRuleGroups(maxRules, grouping, interval);
    }
}
