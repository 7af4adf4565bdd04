namespace IncidentTelemetry.Rules.Tests.Infrastructure;

/// <summary>The sample shop's configuration (samples/SampleShop/incident-telemetry.yaml), which the drills render from.</summary>
internal static class SampleShop
{
    public static string ConfigurationFile => Repository.File("samples", "SampleShop", "incident-telemetry.yaml");

    public static RulesConfiguration Configuration => RulesConfiguration.Load(ConfigurationFile);
}
