using IncidentTelemetry.Rules;

namespace IncidentDrill;

/// <summary>
/// The bundled rules, rendered by the rules library exactly as a team would render them for its own
/// services: from the sample shop's configuration (samples/SampleShop/incident-telemetry.yaml), for the
/// services one drill starts (so no "metrics missing" alert for services that are not there) and at the
/// drill's time scale.
/// </summary>
internal static class DrillRules
{
    /// <summary>The sample shop's rules configuration, relative to the repository root.</summary>
    public static readonly string ConfigurationPath = Path.Combine("samples", "SampleShop", "incident-telemetry.yaml");

    public static async Task<string> RenderAsync(string directory, IReadOnlyList<string> services, int scale)
    {
        var configuration = RulesConfiguration.Load(FindConfiguration()).WithServices([.. services]).WithTimeScale(scale);
        var path = Path.Combine(directory, RuleRenderer.FileName(RuleFormat.Prometheus));
        await File.WriteAllTextAsync(path, RuleRenderer.Render(configuration, RuleFormat.Prometheus));
        return path;
    }

    /// <summary>The configuration file, found from the build output or the working directory upwards.</summary>
    private static string FindConfiguration()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ConfigurationPath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"{ConfigurationPath} not found above {AppContext.BaseDirectory}");
    }
}
