using IncidentTelemetry.Rules.Definitions;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>
/// The <c>routeP95Seconds</c> key of a service: per-route P95 thresholds for EndpointLatencyP95High. Each entry maps
/// an <c>http_route</c> value (as ASP.NET Core reports it, for example <c>/catalog/items/{id:int}</c>) to a number of
/// seconds, to <c>slow</c> (the service's <c>slowRouteP95Seconds</c>, default 2.5 s) or to <c>exclude</c> (no
/// latency alert for that route). Routes listed here are judged only by their own threshold: ServiceLatencyP95High
/// leaves them out of the service's P95.
/// </summary>
internal static partial class ConfigurationReader
{
    /// <summary>The service key read here.</summary>
    public const string RouteP95SecondsKey = "routeP95Seconds";

    private static void ApplyRoutes(ServiceConfiguration service, YamlNode value, string path)
    {
        var thresholds = new Dictionary<string, double>(service.RouteP95Seconds, StringComparer.Ordinal);
        var slow = new List<string>(service.SlowRoutes);
        var excluded = new List<string>(service.ExcludedRoutes);
        foreach (var (k, v) in Mapping(value, path).Children)
        {
            var route = Key(k, path);
            var p = $"{path}.{route}";
            thresholds.Remove(route);
            slow.Remove(route);
            excluded.Remove(route);
            switch (Scalar(v, p))
            {
                case "slow":
                    slow.Add(route);
                    break;
                case "exclude":
                    excluded.Add(route);
                    break;
                default:
                    var seconds = Number(v, p);
                    if (!(seconds > 0))
                    {
                        throw new RulesConfigurationException(p, $"{Format(seconds)} must be a number of seconds greater than 0, 'slow' ({Threshold.SlowRouteP95Seconds}) or 'exclude'");
                    }

                    thresholds[route] = seconds;
                    break;
            }
        }

        service.RouteP95Seconds = thresholds;
        service.SlowRoutes = slow;
        service.ExcludedRoutes = excluded;
    }
}
