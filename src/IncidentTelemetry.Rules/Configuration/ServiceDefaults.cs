namespace IncidentTelemetry.Rules.Configuration;

/// <summary>What a service starts from before its configuration is applied.</summary>
internal static class ServiceDefaults
{
    /// <summary>The team of the other-services group unless configured: Alertmanager's catch-all route takes it.</summary>
    public const string OtherServicesTeam = "unassigned";

    /// <summary>The priority of an alert unless the service or the alert configures one.</summary>
    public const string Priority = "P3";

    /// <summary>The group for every job that is not a named service.</summary>
    public static ServiceConfiguration OtherServices() => new(ServiceConfiguration.OtherServicesName, OtherServicesTeam, Priority, forOtherServices: true) { Job = ".+" };

    /// <summary>A named service owned by <paramref name="team"/>, with every alert that applies to it.</summary>
    public static ServiceConfiguration Named(string name, string team) => new(name, team, Priority);
}
