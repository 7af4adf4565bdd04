using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Tests.Infrastructure;

/// <summary>Reads rendered rule files back: their groups, rules, expressions, labels and annotations.</summary>
internal static class RuleFiles
{
    /// <summary>The committed renders in rules/.</summary>
    public static string PrometheusFile => Repository.File("rules", RuleRenderer.FileName(RuleFormat.Prometheus));

    public static string OperatorFile => Repository.File("rules", "prometheus-operator", RuleRenderer.FileName(RuleFormat.PrometheusOperator));

    public static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Every rule of a Prometheus-format file as (group, rule mapping).</summary>
    public static IEnumerable<(string Group, YamlMappingNode Rule)> Rules(string yaml)
    {
        foreach (var group in ((YamlSequenceNode)Load(yaml)["groups"]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                yield return (((YamlScalarNode)group["name"]).Value!, rule);
            }
        }
    }

    public static string? Scalar(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    public static IReadOnlyDictionary<string, string> Map(YamlMappingNode node, string key)
        => node.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? ((YamlMappingNode)value).Children.ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!, StringComparer.Ordinal)
            : new Dictionary<string, string>();
}
