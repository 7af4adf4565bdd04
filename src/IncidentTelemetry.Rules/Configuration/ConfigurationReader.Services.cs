using IncidentTelemetry.Rules.Definitions;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>The <c>services</c> section: each service's keys, applied over its defaults, then checked as a whole.</summary>
internal static partial class ConfigurationReader
{
    private static readonly string[] ServiceKeys =
        ["job", "team", "priority", "alerts", "thresholds", "for", "priorities", "labels", "redisJob", "sentinelJob", "dependencyPeers", "kubeContainer", RouteP95SecondsKey, ObjectivesKey];

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

        if (service.RedisJob is null && !service.ForOtherServices && alerts.Any(a => a is AlertName.RedisMemoryHigh or AlertName.RedisEvictionsHigh or AlertName.RedisExporterDown))
        {
            throw new RulesConfigurationException(path + ".redisJob", "the Redis alerts need the job of the redis_exporter scraping the Redis nodes");
        }

        if (service.SentinelJob is null && !service.ForOtherServices && alerts.Any(a => a is AlertName.RedisSentinelFailover or AlertName.RedisSentinelQuorumLost))
        {
            throw new RulesConfigurationException(path + ".sentinelJob", "the Sentinel alerts need the job of the redis_exporter scraping the Sentinels");
        }

        ValidateObjectives(service, path);

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
            case RouteP95SecondsKey:
                ApplyRoutes(service, value, path);
                break;
            case ObjectivesKey:
                ApplyObjectives(service, value, path);
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
}
