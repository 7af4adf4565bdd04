namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Dashboard slugs: the uid is the prefix plus the slug, so they never change once published.</summary>
internal static class Slugs
{
    public const string Overview = "overview";
    public const string Endpoints = "endpoints";
    public const string Dependencies = "dependencies";
    public const string DatabasePools = "database-pools";
    public const string SessionsRedis = "sessions-redis";
    public const string Authentication = "authentication";
    public const string RuntimeMemory = "runtime-memory";
    public const string ErrorBudgets = "error-budgets";

    public static readonly IReadOnlyList<string> DrillDowns = [Endpoints, Dependencies, DatabasePools, SessionsRedis, Authentication, RuntimeMemory, ErrorBudgets];

    /// <summary>The overview and every drill-down except <paramref name="self"/>: each links to all the others.</summary>
    public static IReadOnlyList<string> OthersThan(string self) => [.. new[] { Overview }.Concat(DrillDowns).Where(s => s != self)];
}
