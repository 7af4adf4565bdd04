using System.Globalization;
using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Definitions;
using IncidentTelemetry.Rules.Rendering;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>
/// Reads the YAML configuration node by node, so that every error names its key
/// (<c>services.payment-service.thresholds.poolUtilisationWarning</c>) and unknown keys are refused.
/// </summary>
internal static partial class ConfigurationReader
{
    private static readonly string[] RootKeys = ["timeScale", "minimumWindow", "runbookBaseUrl", "labels", "aggregationLabels", "prometheusRule", "otherServices", "services"];

    private static readonly string[] OtherServiceKeys = ["team", "priority", "alerts", "thresholds", "for", "priorities", "labels", "dependencyPeers"];

    private static readonly string[] PrometheusRuleKeys = ["name", "namespace", "labels"];

    private static readonly string[] ServiceKeys =
        ["job", "team", "priority", "alerts", "thresholds", "for", "priorities", "labels", "redisJob", "sentinelJob", "dependencyPeers", "kubeContainer"];

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
                default:
                    throw Unknown(key, RootKeys);
            }
        }

        return result;
    }

    /// <summary>Checks a service after it is complete: the alerts it gets must have what they need.</summary>
    public static void Validate(ServiceConfiguration service, string path)
    {
        var alerts = service.Alerts;
        if (service.ForOtherServices)
        {
            var named = alerts.Select((a, i) => (a, i)).FirstOrDefault(x => !AlertCatalog.ByName[x.a].AppliesTo(service));
            if (named.a is not null)
            {
                throw new RulesConfigurationException($"{path}.alerts[{named.i}]", $"{named.a} needs a named service (its own job, container or Redis jobs)");
            }
        }

        if (service.RedisJob is null && alerts.Any(a => a is AlertName.RedisMemoryHigh or AlertName.RedisEvictionsHigh or AlertName.RedisExporterDown))
        {
            throw new RulesConfigurationException(path + ".redisJob", "the Redis alerts need the job of the redis_exporter scraping the Redis nodes");
        }

        if (service.SentinelJob is null && alerts.Any(a => a is AlertName.RedisSentinelFailover or AlertName.RedisSentinelQuorumLost))
        {
            throw new RulesConfigurationException(path + ".sentinelJob", "the Sentinel alerts need the job of the redis_exporter scraping the Sentinels");
        }

        var warning = service.ThresholdOf(Threshold.PoolUtilisationWarning);
        var critical = service.ThresholdOf(Threshold.PoolUtilisationCritical);
        if (warning >= critical)
        {
            throw new RulesConfigurationException($"{path}.thresholds.{Threshold.PoolUtilisationWarning}", $"{Format(warning)} must be below {Threshold.PoolUtilisationCritical} ({Format(critical)})");
        }
    }

    private static List<ServiceConfiguration> Services(YamlNode node, string path)
    {
        var services = new List<ServiceConfiguration>();
        foreach (var (keyNode, value) in Mapping(node, path).Children)
        {
            var name = Key(keyNode, path);
            var servicePath = $"{path}.{name}";
            if (!ServiceName().IsMatch(name) || name == ServiceConfiguration.OtherServicesName)
            {
                throw new RulesConfigurationException(servicePath, $"a service name is letters, digits, '.', '_' and '-' (and not {ServiceConfiguration.OtherServicesName})");
            }

            var entries = Entries(value, servicePath, ServiceKeys);
            var team = entries.FirstOrDefault(e => e.Key == "team");
            if (team.Value is null)
            {
                throw new RulesConfigurationException(servicePath + ".team", "required: the team label Alertmanager routes the service's alerts on");
            }

            var service = ServiceDefaults.Named(name, LabelValue(team.Value, servicePath + ".team"));
            foreach (var (key, entry) in entries)
            {
                Apply(service, key, entry, $"{servicePath}.{key}");
            }

            Validate(service, servicePath);
            services.Add(service);
        }

        if (services.Count == 0)
        {
            throw new RulesConfigurationException(path, "lists no service");
        }

        return services;
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

    private static void Apply(ServiceConfiguration service, string key, YamlNode value, string path)
    {
        switch (key)
        {
            case "job":
                service.Job = Pattern(value, path);
                break;
            case "team":
                service.Team = LabelValue(value, path);
                break;
            case "priority":
                service.Priority = LabelValue(value, path);
                break;
            case "alerts":
                service.ChosenAlerts = AlertList(value, path);
                break;
            case "thresholds":
                var thresholds = new Dictionary<string, double>(service.Thresholds, StringComparer.Ordinal);
                foreach (var (k, v) in Mapping(value, path).Children)
                {
                    var name = Key(k, path);
                    var p = $"{path}.{name}";
                    if (!Threshold.All.TryGetValue(name, out var spec))
                    {
                        throw Unknown(p, Threshold.All.Keys);
                    }

                    var number = Number(v, p);
                    if (spec.Ratio ? !(number > 0 && number <= 1) : !(number > 0))
                    {
                        throw new RulesConfigurationException(p, spec.Ratio ? $"{Format(number)} is not a ratio above 0 and at most 1 (0.75 means 75 %)" : $"{Format(number)} must be greater than 0");
                    }

                    thresholds[name] = number;
                }

                service.Thresholds = thresholds;
                break;
            case "for":
                service.For = PerAlert(service.For, value, path, Duration);
                break;
            case "priorities":
                service.Priorities = PerAlert(service.Priorities, value, path, LabelValue);
                break;
            case "labels":
                service.Labels = Labels(value, path);
                break;
            case "redisJob":
                service.RedisJob = Pattern(value, path);
                break;
            case "sentinelJob":
                service.SentinelJob = Pattern(value, path);
                break;
            case "dependencyPeers":
                service.DependencyPeers = Pattern(value, path);
                break;
            case "kubeContainer":
                service.KubeContainer = Pattern(value, path);
                break;
            default:
                throw Unknown(path, ServiceKeys);
        }
    }

    /// <summary>Overrides keyed by alert name (<c>for</c>, <c>priorities</c>), merged over the ones already set.</summary>
    private static Dictionary<string, T> PerAlert<T>(IReadOnlyDictionary<string, T> current, YamlNode value, string path, Func<YamlNode, string, T> parse)
    {
        var merged = new Dictionary<string, T>(current, StringComparer.Ordinal);
        foreach (var (k, v) in Mapping(value, path).Children)
        {
            var name = Key(k, path);
            merged[KnownAlert(name, $"{path}.{name}")] = parse(v, $"{path}.{name}");
        }

        return merged;
    }

    private static List<string> AlertList(YamlNode node, string path)
    {
        if (node is not YamlSequenceNode sequence)
        {
            throw new RulesConfigurationException(path, "must be a list of alert names");
        }

        var alerts = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var name = KnownAlert(Scalar(sequence.Children[i], $"{path}[{i}]"), $"{path}[{i}]");
            if (!alerts.Contains(name))
            {
                alerts.Add(name);
            }
        }

        return alerts;
    }

    private static string KnownAlert(string name, string path)
        => AlertCatalog.ByName.ContainsKey(name) ? name : throw Unknown(path, AlertCatalog.ByName.Keys, "alert");

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
