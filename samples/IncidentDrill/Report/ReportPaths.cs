namespace IncidentDrill.Report;

/// <summary>Where the page and the charts go, beside the JSON report: <c>run/report.json</c> → <c>run/report.html</c>, <c>run/report-charts/</c>.</summary>
internal static class ReportPaths
{
    public static string Page(string jsonReport) => Path.ChangeExtension(Path.GetFullPath(jsonReport), ".html");

    public static string ChartsDirectory(string jsonReport)
        => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(jsonReport))!, Path.GetFileNameWithoutExtension(jsonReport) + "-charts");
}
