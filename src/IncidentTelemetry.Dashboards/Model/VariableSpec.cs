namespace IncidentTelemetry.Dashboards.Model;

/// <summary>
/// A multi-select template variable filled by <c>label_values(Series, Label)</c>; queries filter with
/// <c>label=~"$Name"</c>.
/// </summary>
/// <param name="Series">A selector of a series that really carries <paramref name="Label"/>.</param>
internal sealed record VariableSpec(string Name, string DisplayName, string Series, string Label, string AllValue)
{
    public string Query => $"label_values({this.Series}, {this.Label})";
}
