using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>
/// Reads the YAML configuration node by node, so that every error names its key
/// (<c>services.payment-service.thresholds.poolUtilisationWarning</c>) and unknown keys are refused.
/// </summary>
/// <remarks>
/// Three files, one per level of the document: this one the root and its small sections (<c>prometheusRule</c>,
/// <c>otherServices</c>, <c>aggregationLabels</c>); <c>ConfigurationReader.Services.cs</c> a service's keys and the
/// checks on a complete service; <c>ConfigurationReader.Values.cs</c> the single values (numbers, durations, patterns,
/// labels) every section reads.
/// </remarks>
internal static partial class ConfigurationReader
{
    private static readonly string[] RootKeys = ["timeScale", "minimumWindow", "runbookBaseUrl", "labels", "aggregationLabels", "prometheusRule", "otherServices", "services", "ruleGroups", "ingestion", "pushInterval"];

    private static readonly string[] OtherServiceKeys = ["team", "priority", "alerts", "thresholds", "for", "priorities", "labels", "dependencyPeers", RouteP95SecondsKey, ObjectivesKey];

    private static readonly string[] PrometheusRuleKeys = ["name", "namespace", "labels"];

    /// <summary>Labels every alert sets itself; configured labels may not replace them.</summary>
    private static readonly string[] ReservedLabels = ["severity", "team", "service", "priority", "alertname"];

    public static RulesConfiguration Read(string yaml, RulesConfiguration defaults)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new RulesConfigurationException("(yaml)", $"line {ex.Start.Line}: {ex.Message}");
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return defaults;
        }

        var root = Mapping(stream.Documents[0].RootNode, "(root)");
        var result = defaults.With(_ => { });
        foreach (var (keyNode, value) in root.Children)
        {
            var key = Key(keyNode, "(root)");
            switch (key)
            {
                case "timeScale":
                    var scale = Number(value, key);
                    if (!(scale > 0))
                    {
                        throw new RulesConfigurationException(key, "must be a number greater than 0");
                    }

                    result.Set(timeScale: scale);
                    break;
                case "minimumWindow":
                    result.Set(minimumWindow: Duration(value, key));
                    break;
                case "runbookBaseUrl":
                    result = result.WithRunbookBaseUrl(Scalar(value, key));
                    break;
                case "labels":
                    result.Set(labels: Labels(value, key));
                    break;
                case "services":
                    result.Set(services: Services(value, key));
                    break;
                case "aggregationLabels":
                    result.SetAggregationLabels(AggregationLabels(Sequence(value, key), key));
                    break;
                case "prometheusRule":
                    PrometheusRule(result, value, key);
                    break;
                case "otherServices":
                    result.SetOtherServices(OtherServices(value, key));
                    break;
                case "ruleGroups":
                    RuleGroups(result, value, key);
                    break;
                case "ingestion":
                    result.SetIngestion(Scalar(value, key) switch
                    {
                        "scrape" => Ingestion.Scrape,
                        "otlp" => Ingestion.Otlp,
                        var other => throw new RulesConfigurationException(key, $"'{other}' is not scrape or otlp"),
                    }, null);
                    break;
                case "pushInterval":
                    var push = Duration(value, key);
                    if (push <= TimeSpan.Zero)
                    {
                        throw new RulesConfigurationException(key, "must be greater than 0");
                    }

                    result.SetIngestion(null, push);
                    break;
                default:
                    throw Unknown(key, RootKeys);
            }
        }

        return result;
    }

    /// <summary>A mapping's entries, every key checked against <paramref name="known"/> before any value is read.</summary>
    private static List<(string Key, YamlNode Value)> Entries(YamlNode value, string path, string[] known)
    {
        var entries = IsNull(value) ? [] : Mapping(value, path).Children.Select(c => (Key: Key(c.Key, path), c.Value)).ToList();
        foreach (var (key, _) in entries)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                throw Unknown($"{path}.{key}", known);
            }
        }

        return entries;
    }

    private static ServiceConfiguration? OtherServices(YamlNode value, string path)
    {
        if (value is YamlScalarNode { Value: "false" or "true" } flag)
        {
            return flag.Value == "true" ? ServiceDefaults.OtherServices() : null;
        }

        var service = ServiceDefaults.OtherServices();
        foreach (var (key, entry) in Entries(value, path, OtherServiceKeys))
        {
            Apply(service, key, entry, $"{path}.{key}");
        }

        Validate(service, path);
        return service;
    }

    private static void PrometheusRule(RulesConfiguration result, YamlNode value, string path)
    {
        string? name = null, ns = null;
        Dictionary<string, string>? labels = null;
        foreach (var (key, entry) in Entries(value, path, PrometheusRuleKeys))
        {
            var p = $"{path}.{key}";
            switch (key)
            {
                case "name":
                    name = KubernetesName(entry, p);
                    break;
                case "namespace":
                    ns = KubernetesName(entry, p);
                    break;
                default:
                    labels = [];
                    foreach (var (k, v) in Mapping(entry, p).Children)
                    {
                        var labelName = Key(k, p);
                        if (!KubernetesLabel().IsMatch(labelName))
                        {
                            throw new RulesConfigurationException($"{p}.{labelName}", "is not a Kubernetes label key (an optional DNS prefix and '/', then letters, digits, '-', '_', '.')");
                        }

                        labels[labelName] = LabelValue(v, $"{p}.{labelName}");
                    }

                    break;
            }
        }

        result.SetPrometheusRule(name, ns, labels);
    }

    private static string KubernetesName(YamlNode node, string path)
    {
        var text = Scalar(node, path);
        return KubernetesObjectName().IsMatch(text) && text.Length <= 253
            ? text
            : throw new RulesConfigurationException(path, $"'{text}' is not a Kubernetes name (lower-case letters, digits, '-' and '.')");
    }

    /// <summary>Aggregation labels: Prometheus label names, none twice, none the alert's own.</summary>
    public static List<string> AggregationLabels(IEnumerable<string> labels, string path)
    {
        var list = new List<string>();
        foreach (var (label, i) in labels.Select((l, i) => (l, i)))
        {
            var p = $"{path}[{i}]";
            if (!LabelName().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
            {
                throw new RulesConfigurationException(p, $"'{label}' is not a Prometheus label name");
            }

            if (ReservedLabels.Contains(label) || label is "job" or "instance" or "le")
            {
                throw new RulesConfigurationException(p, $"'{label}' is a label the rules already use");
            }

            if (list.Contains(label))
            {
                throw new RulesConfigurationException(p, $"'{label}' is listed twice");
            }

            list.Add(label);
        }

        return list;
    }

    private static List<string> Sequence(YamlNode node, string path)
        => node is YamlSequenceNode sequence
            ? [.. sequence.Children.Select((n, i) => Scalar(n, $"{path}[{i}]"))]
            : throw new RulesConfigurationException(path, "must be a list of label names, for example [cluster, namespace]");
}
