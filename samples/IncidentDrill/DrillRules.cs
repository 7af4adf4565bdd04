using IncidentTelemetry.Rules;

namespace IncidentDrill;

/// <summary>
/// The bundled rules, rendered by the rules library exactly as a team would render them for its own
/// services, for the services one drill starts (so no "metrics missing" alert for services that are not
/// there) and at the drill's time scale.
/// </summary>
internal static class DrillRules
{
    public static async Task<string> RenderAsync(string directory, IReadOnlyList<string> services, int scale)
    {
        var configuration = RulesConfiguration.Default.WithServices([.. services]).WithTimeScale(scale);
        var path = Path.Combine(directory, RuleRenderer.FileName(RuleFormat.Prometheus));
        await File.WriteAllTextAsync(path, RuleRenderer.Render(configuration, RuleFormat.Prometheus));
        return path;
    }
}
