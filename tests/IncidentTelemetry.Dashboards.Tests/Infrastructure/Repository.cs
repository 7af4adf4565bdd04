namespace IncidentTelemetry.Dashboards.Tests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string DashboardsDirectory => Path.Combine(Root, "dashboards");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentTelemetry.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IncidentTelemetry.sln not found above " + AppContext.BaseDirectory);
    }
}
