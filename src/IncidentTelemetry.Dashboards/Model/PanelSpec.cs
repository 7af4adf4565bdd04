namespace IncidentTelemetry.Dashboards.Model;

/// <summary>One panel: what it shows (queries, unit), how wide it is, which alert thresholds it draws.</summary>
/// <param name="Unit">Grafana unit id: s, bytes, percentunit, reqps, cps, short.</param>
internal sealed record PanelSpec(string Title, string Description, PanelKind Kind, string Unit, IReadOnlyList<QuerySpec> Queries)
{
    public int Width { get; init; } = 8;

    public int Height { get; init; } = 8;

    public IReadOnlyList<ThresholdSpec> Thresholds { get; init; } = [];

    /// <summary>Slug of the drill-down dashboard this panel links to, if any.</summary>
    public string? DrillDown { get; init; }

    /// <summary>Whether the queries are instant (tables, bar gauges of the current value).</summary>
    public bool Instant { get; init; }

    public double? Min { get; init; }

    public double? Max { get; init; }
}
