namespace IncidentTelemetry.Dashboards.Model;

/// <summary>One dashboard: identity, variables, and sections of panels laid out top to bottom.</summary>
/// <param name="Slug">Short name: the uid is the prefix plus this, and the file is <c>slug.json</c>.</param>
internal sealed record DashboardSpec(
    string Slug,
    string Title,
    string Description,
    IReadOnlyList<string> Tags,
    IReadOnlyList<VariableSpec> Variables,
    IReadOnlyList<SectionSpec> Sections,
    IReadOnlyList<string> LinkedSlugs)
{
    public string Uid => DashboardSettings.UidPrefix + this.Slug;

    public string FileName => this.Slug + ".json";

    /// <summary>Whether the dashboard shows firing alerts as annotations.</summary>
    public bool AlertAnnotations { get; init; } = true;
}
