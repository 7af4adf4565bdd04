using System.Text.Json.Nodes;
using IncidentTelemetry.Dashboards.Definitions;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Dashboards.Rendering;

namespace IncidentTelemetry.Dashboards;

/// <summary>Every dashboard, rendered, and every query they send to Prometheus.</summary>
internal static class DashboardCatalog
{
    /// <summary>The dashboard definitions, overview first.</summary>
    public static IReadOnlyList<DashboardSpec> Specs { get; } =
    [
        ServiceOverview.Build(),
        Endpoints.Build(),
        Dependencies.Build(),
        DatabasePools.Build(),
        SessionsRedis.Build(),
        Authentication.Build(),
        RuntimeMemory.Build(),
        ErrorBudgets.Build(),
    ];

    /// <summary>File name (in dashboards/) and the rendered JSON of every dashboard.</summary>
    public static IReadOnlyList<(string FileName, JsonObject Json)> Render()
    {
        var bySlug = Specs.ToDictionary(s => s.Slug, StringComparer.Ordinal);
        return [.. Specs.Select(s => (s.FileName, DashboardRenderer.Render(s, bySlug)))];
    }

    /// <summary>Writes every dashboard into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (fileName, json) in Render())
        {
            var path = Path.Combine(directory, fileName);
            File.WriteAllText(path, DashboardRenderer.ToJson(json));
            written.Add(path);
        }

        return written;
    }
}
