using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.AlertSimulation;

/// <summary>
/// What a team receives, not only what the rules fire: the example Alertmanager configuration
/// (<c>rules/alertmanager/alertmanager.example.yml</c>) routes every alert the rule file can raise, and an alert whose
/// route carries <c>mute_time_intervals</c> sends no notification while one of those intervals is active. The
/// simulation turns that into PromQL over <c>ALERTS</c>: the label sets of the alerts each muted route receives, and
/// the interval as a test on the evaluation time, so that promtool's accounting counts notifications next to raw
/// firings.
/// </summary>
/// <remarks>
/// Written by hand: no .NET package evaluates an Alertmanager routing tree, and <c>amtool config routes test</c> says
/// which route an alert takes but not when a mute applies (it does not evaluate time intervals). Only what the example
/// configuration uses is supported (matchers, <c>continue</c>, <c>mute_time_intervals</c> not inherited by child
/// routes, as in Alertmanager; intervals with <c>times</c> and <c>weekdays</c> in UTC); anything else is refused with
/// the key named. A muted alert that still fires when its interval ends is counted from then on, as Alertmanager
/// sends it at the group's next flush. Inhibition rules are not applied (the healthy days fire none of their sources).
/// </remarks>
internal static partial class Notifications
{
    private static readonly string[] GroupLabels = ["alertname", "service", "severity"];

    /// <summary>The committed example configuration.</summary>
    public static string ExampleConfiguration => LocalComponents.Repository.File("rules", "alertmanager", "alertmanager.example.yml");

    /// <summary>
    /// A PromQL expression that selects the <c>ALERTS</c> series muted at the evaluation time (empty vector when none
    /// is), for the alerts the rule file can raise for the given services.
    /// </summary>
    public static string MutedAlerts(string ruleYaml, IReadOnlyList<string> services, string alertmanagerYaml)
    {
        var configuration = Load(alertmanagerYaml);
        var selectors = new List<string>();
        foreach (var labels in AlertLabelSets(ruleYaml, services))
        {
            var intervals = configuration.Root.MuteIntervalsFor(labels);
            if (intervals.Count == 0)
            {
                continue;
            }

            var window = string.Join(" or ", intervals.SelectMany(name => configuration.Intervals.TryGetValue(name, out var parts)
                ? parts
                : throw new InvalidOperationException($"mute_time_intervals names '{name}', which time_intervals does not define")));
            var selector = string.Join(", ", GroupLabels.Select(k => $"{k}=\"{labels[k]}\""));
            selectors.Add($"(ALERTS{{alertstate=\"firing\", {selector}}} and on () ({window}))");
        }

        return selectors.Count == 0 ? "vector(0) < 0" : string.Join("\nor\n", selectors);
    }

    /// <summary>
    /// Every label set an alert rule of the file can carry (static labels; a service named by the job template is
    /// expanded to each service of the simulation).
    /// </summary>
    public static IEnumerable<IReadOnlyDictionary<string, string>> AlertLabelSets(string ruleYaml, IReadOnlyList<string> services)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(ruleYaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                if (!rule.Children.TryGetValue(new YamlScalarNode("alert"), out var alert))
                {
                    continue;
                }

                var labels = rule.Children.TryGetValue(new YamlScalarNode("labels"), out var node)
                    ? ((YamlMappingNode)node).Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ((YamlScalarNode)p.Value).Value ?? "", StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal);
                labels["alertname"] = ((YamlScalarNode)alert).Value!;
                var named = labels.GetValueOrDefault("service", "");
                foreach (var service in named.Contains("{{", StringComparison.Ordinal) ? services : [named])
                {
                    var set = new Dictionary<string, string>(labels, StringComparer.Ordinal) { ["service"] = service };
                    if (seen.Add(string.Join(",", set.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))))
                    {
                        yield return set;
                    }
                }
            }
        }
    }

    internal sealed record Configuration(Route Root, IReadOnlyDictionary<string, List<string>> Intervals);

    internal static Configuration Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var intervals = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var key in new[] { "time_intervals", "mute_time_intervals" })
        {
            if (root.Children.TryGetValue(new YamlScalarNode(key), out var list))
            {
                foreach (var named in ((YamlSequenceNode)list).Cast<YamlMappingNode>())
                {
                    intervals[Scalar(named, "name")!] = ((YamlSequenceNode)named["time_intervals"]).Cast<YamlMappingNode>().Select(Interval).ToList();
                }
            }
        }

        return new Configuration(Route.Parse((YamlMappingNode)root["route"], isRoot: true), intervals);
    }

    /// <summary>One time interval as PromQL on the evaluation time (promtool's time 0 is the simulation's first Monday, 00:00 UTC).</summary>
    private static string Interval(YamlMappingNode interval)
    {
        var conditions = new List<string>();
        foreach (var (keyNode, value) in interval.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value;
            switch (key)
            {
                case "location":
                    if (((YamlScalarNode)value).Value is not ("UTC" or "Local"))
                    {
                        throw new NotSupportedException($"time interval location '{((YamlScalarNode)value).Value}': the simulation's clock is UTC");
                    }

                    break;
                case "times":
                    conditions.Add("(" + string.Join(" or ", ((YamlSequenceNode)value).Cast<YamlMappingNode>().Select(t =>
                        $"(vector(time()) % 86400 >= {Minutes(Scalar(t, "start_time")!) * 60} and vector(time()) % 86400 < {Minutes(Scalar(t, "end_time")!) * 60})")) + ")");
                    break;
                case "weekdays":
                    var days = ((YamlSequenceNode)value).Cast<YamlScalarNode>().SelectMany(d => Weekdays(d.Value!)).Distinct().ToList();
                    // Day 0 of the simulation is a Monday: weekday index = floor(time / 1 d) mod 7, 0 = Monday.
                    conditions.Add("(" + string.Join(" or ", days.Select(d => $"(floor(vector(time()) / 86400) % 7 == {d})")) + ")");
                    break;
                default:
                    throw new NotSupportedException($"time interval key '{key}' is not modelled by the simulation");
            }
        }

        return conditions.Count == 0 ? "vector(1)" : string.Join(" and ", conditions);
    }

    private static int Minutes(string hhmm)
    {
        var parts = hhmm.Split(':');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture) * 60) + int.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static IEnumerable<int> Weekdays(string value)
    {
        string[] names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        var range = value.ToLowerInvariant().Split(':');
        var from = Array.IndexOf(names, range[0]);
        var to = Array.IndexOf(names, range[^1]);
        if (from < 0 || to < 0)
        {
            throw new NotSupportedException($"weekdays value '{value}'");
        }

        return Enumerable.Range(from, to - from + 1);
    }

    private static string? Scalar(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    /// <summary>A route of the tree: its matchers, whether matching continues to its siblings, its own mutes, its children.</summary>
    internal sealed record Route(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> Matchers, bool Continue, IReadOnlyList<string> Mutes, IReadOnlyList<Route> Children)
    {
        public static Route Parse(YamlMappingNode node, bool isRoot)
        {
            var matchers = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
            var mutes = new List<string>();
            var children = new List<Route>();
            var continues = false;
            foreach (var (keyNode, value) in node.Children)
            {
                switch (((YamlScalarNode)keyNode).Value)
                {
                    case "matchers":
                        matchers.AddRange(((YamlSequenceNode)value).Cast<YamlScalarNode>().Select(m => Matcher(m.Value!)));
                        break;
                    case "match":
                        matchers.AddRange(((YamlMappingNode)value).Children.Select(p => Matcher($"{((YamlScalarNode)p.Key).Value}=\"{((YamlScalarNode)p.Value).Value}\"")));
                        break;
                    case "match_re":
                        matchers.AddRange(((YamlMappingNode)value).Children.Select(p => Matcher($"{((YamlScalarNode)p.Key).Value}=~\"{((YamlScalarNode)p.Value).Value}\"")));
                        break;
                    case "continue":
                        continues = ((YamlScalarNode)value).Value == "true";
                        break;
                    case "mute_time_intervals":
                        mutes.AddRange(((YamlSequenceNode)value).Cast<YamlScalarNode>().Select(n => n.Value!));
                        break;
                    case "active_time_intervals":
                        throw new NotSupportedException("route key 'active_time_intervals' is not modelled by the simulation");
                    case "routes":
                        children.AddRange(((YamlSequenceNode)value).Cast<YamlMappingNode>().Select(c => Parse(c, isRoot: false)));
                        break;
                }
            }

            return new Route(matchers, continues, mutes, children);
        }

        /// <summary>
        /// The mute intervals of every route the alert ends at: depth first, the first matching child unless it has
        /// <c>continue: true</c>; a route whose children all miss takes the alert itself.
        /// </summary>
        public IReadOnlyList<string> MuteIntervalsFor(IReadOnlyDictionary<string, string> labels)
        {
            var result = new List<string>();
            var ended = this.Ends(labels, result);
            return ended ? result.Distinct(StringComparer.Ordinal).ToList() : [];
        }

        private bool Ends(IReadOnlyDictionary<string, string> labels, List<string> mutes)
        {
            if (!this.Matchers.All(m => m(labels)))
            {
                return false;
            }

            var matched = false;
            foreach (var child in this.Children)
            {
                if (child.Ends(labels, mutes))
                {
                    matched = true;
                    if (!child.Continue)
                    {
                        break;
                    }
                }
            }

            if (!matched)
            {
                mutes.AddRange(this.Mutes);
            }

            return true;
        }
    }

    /// <summary>An Alertmanager matcher (<c>name="v"</c>, <c>!=</c>, <c>=~</c>, <c>!~</c>; regexes anchored at both ends).</summary>
    internal static Func<IReadOnlyDictionary<string, string>, bool> Matcher(string text)
    {
        var m = MatcherPattern().Match(text.Trim());
        if (!m.Success)
        {
            throw new NotSupportedException($"matcher '{text}'");
        }

        var name = m.Groups[1].Value;
        var op = m.Groups[2].Value;
        var value = m.Groups[3].Success ? Regex.Unescape(m.Groups[3].Value) : m.Groups[4].Value;
        var regex = op.Length == 2 && op[1] == '~' ? new Regex("^(?:" + value + ")$", RegexOptions.CultureInvariant) : null;
        return labels =>
        {
            var actual = labels.GetValueOrDefault(name, "");
            return op switch
            {
                "=" => actual == value,
                "!=" => actual != value,
                "=~" => regex!.IsMatch(actual),
                _ => !regex!.IsMatch(actual),
            };
        };
    }

    [GeneratedRegex("^([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S*))$")]
    private static partial Regex MatcherPattern();

    /// <summary>For the report: how the mutes were applied.</summary>
    public static string Describe() => new StringBuilder()
        .Append("Notifications: the firing alerts minus those the example Alertmanager configuration (rules/alertmanager/alertmanager.example.yml) mutes at that moment (its routes' mute_time_intervals).")
        .ToString();
}
