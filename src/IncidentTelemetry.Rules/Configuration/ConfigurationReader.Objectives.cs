using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Rules.Definitions;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>
/// The <c>objectives</c> key of a service (or of <c>otherServices</c>): the targets of the error-budget (burn-rate)
/// alerts. <c>objectives: {}</c> gives availability 99.9 % over 30 days; <c>latency</c> adds a latency objective (the
/// share of requests faster than <c>latencySeconds</c>, default 0.5 s); <c>off</c> switches one off. Without the key a
/// service has no objective and no burn-rate alert.
/// </summary>
internal static partial class ConfigurationReader
{
    /// <summary>The service key read here.</summary>
    public const string ObjectivesKey = "objectives";

    private static readonly string[] ObjectiveKeys = ["availability", "latency", "latencySeconds", "window", "perRoute"];

    private static void ApplyObjectives(ServiceConfiguration service, YamlNode value, string path)
    {
        var objectives = service.Objectives?.Clone() ?? new ServiceObjectives();
        foreach (var (key, entry) in Entries(value, path, ObjectiveKeys))
        {
            var p = $"{path}.{key}";
            switch (key)
            {
                case "availability":
                    objectives.AvailabilityTarget = Target(entry, p);
                    break;
                case "latency":
                    objectives.LatencyTarget = Target(entry, p);
                    break;
                case "latencySeconds":
                    var seconds = Number(entry, p);
                    if (!HistogramBuckets.Latency.Contains(seconds))
                    {
                        throw new RulesConfigurationException(p, $"{Format(seconds)} is not a bucket boundary of {InstrumentNames.HttpServerRequestDuration}; use one of {string.Join(", ", HistogramBuckets.Latency.Select(Format))}");
                    }

                    objectives.LatencySeconds = seconds;
                    break;
                case "window":
                    var window = Duration(entry, p);
                    if (window.Ticks % TimeSpan.TicksPerDay != 0 || window < ErrorBudget.MinimumWindow || window > ErrorBudget.MaximumWindow)
                    {
                        throw new RulesConfigurationException(p, $"'{Scalar(entry, p)}' must be whole days from {ErrorBudget.MinimumWindow.TotalDays:0}d to {ErrorBudget.MaximumWindow.TotalDays:0}d (for example 28d or 30d)");
                    }

                    objectives.Window = window;
                    break;
                default:
                    objectives.PerRoute = Scalar(entry, p) switch
                    {
                        "true" => true,
                        "false" => false,
                        var text => throw new RulesConfigurationException(p, $"'{text}' is not true or false"),
                    };
                    break;
            }
        }

        service.Objectives = objectives;
    }

    /// <summary>A target in percent below 100 (99.9), or <c>off</c>.</summary>
    private static double? Target(YamlNode node, string path)
    {
        if (Scalar(node, path) == "off")
        {
            return null;
        }

        var target = Number(node, path);
        return target is >= 50 and < 100
            ? target
            : throw new RulesConfigurationException(path, $"{Format(target)} is not a target in percent from 50 to below 100 (99.9 means 99.9 % of requests), or off");
    }

    /// <summary>A burn-rate alert a service lists must have its objective.</summary>
    private static void ValidateObjectives(ServiceConfiguration service, string path)
    {
        if (service.ChosenAlerts is null)
        {
            return;
        }

        foreach (var (alert, i) in service.ChosenAlerts.Select((a, i) => (a, i)))
        {
            var needs = AlertCatalog.ByName[alert].Needs;
            if (needs is AlertNeeds.AvailabilityObjective or AlertNeeds.LatencyObjective && !AlertCatalog.ByName[alert].AppliesTo(service))
            {
                var key = needs == AlertNeeds.AvailabilityObjective ? "availability" : "latency";
                throw new RulesConfigurationException($"{path}.alerts[{i}]", $"{alert} needs an {key} objective ({path}.{ObjectivesKey}.{key})");
            }
        }
    }
}
