using System.Globalization;
using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>Single values of the configuration, each checked where it is read so that the error names its key.</summary>
internal static partial class ConfigurationReader
{
    private static Dictionary<string, string> Labels(YamlNode node, string path)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Mapping(node, path).Children)
        {
            var name = Key(k, path);
            var p = $"{path}.{name}";
            if (!LabelName().IsMatch(name) || name.StartsWith("__", StringComparison.Ordinal))
            {
                throw new RulesConfigurationException(p, "is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __)");
            }

            if (ReservedLabels.Contains(name))
            {
                throw new RulesConfigurationException(p, $"is set by every alert itself ({string.Join(", ", ReservedLabels)}); configure it through the service instead");
            }

            labels[name] = LabelValue(v, p);
        }

        return labels;
    }

    private static string Pattern(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        if (text.Length == 0)
        {
            throw new RulesConfigurationException(path, "must not be empty (a regular expression the label must match)");
        }

        try
        {
            _ = new Regex(text, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new RulesConfigurationException(path, $"'{text}' is not a regular expression: {ex.Message}");
        }

        return text;
    }

    private static string LabelValue(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        return text.Length > 0 ? text : throw new RulesConfigurationException(path, "must not be empty");
    }

    private static double Number(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new RulesConfigurationException(path, $"'{text}' is not a number");
    }

    private static TimeSpan Duration(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        return PromDuration.TryParse(text, out var value)
            ? value
            : throw new RulesConfigurationException(path, $"'{text}' is not a Prometheus duration (for example 30s, 5m, 1h30m)");
    }

    private static string Scalar(YamlNode node, string path)
        => node is YamlScalarNode { Value: { } value } ? value.Trim() : throw new RulesConfigurationException(path, "must be a single value");

    private static YamlMappingNode Mapping(YamlNode node, string path)
        => node as YamlMappingNode ?? throw new RulesConfigurationException(path, "must be a mapping of keys to values");

    private static string Key(YamlNode node, string path)
        => node is YamlScalarNode { Value: { Length: > 0 } key } ? key : throw new RulesConfigurationException(path, "has a key that is not a plain name");

    private static bool IsNull(YamlNode node)
        => node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static RulesConfigurationException Unknown(string path, IEnumerable<string> known, string what = "key")
        => new(path, $"unknown {what}; known: {string.Join(", ", known)}");

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9._-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ServiceName();

    [GeneratedRegex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex KubernetesObjectName();

    [GeneratedRegex("^([a-z0-9]([a-z0-9.-]*[a-z0-9])?/)?[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex KubernetesLabel();
}
