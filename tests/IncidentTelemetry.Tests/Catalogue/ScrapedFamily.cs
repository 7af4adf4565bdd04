namespace IncidentTelemetry.Tests.Catalogue;

/// <summary>One metric family of a Prometheus text scrape: its TYPE, the label names its samples carry, and the meters (otel_scope_name) behind it.</summary>
internal sealed record ScrapedFamily(string Name, string Type, IReadOnlySet<string> Labels, IReadOnlySet<string> Scopes)
{
    /// <summary>Labels every family carries or that belong to the histogram shape, not to the metric.</summary>
    public static readonly string[] StructuralLabels = ["otel_scope_name", "otel_scope_version", "le"];

    public static Dictionary<string, ScrapedFamily> ParseAll(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var labels = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var scopes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        string? current = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                current = parts[2];
                types[current] = parts[3];
                labels[current] = [];
                scopes[current] = [];
                continue;
            }

            if (line.Length == 0 || line[0] == '#' || current is null)
            {
                continue;
            }

            var sample = ExpositionSample.ParseAll(line).Single();
            foreach (var (key, value) in sample.Labels)
            {
                if (key == "otel_scope_name")
                {
                    scopes[current].Add(value);
                }

                if (!StructuralLabels.Contains(key))
                {
                    labels[current].Add(key);
                }
            }
        }

        return types.ToDictionary(t => t.Key, t => new ScrapedFamily(t.Key, t.Value, labels[t.Key], scopes[t.Key]), StringComparer.Ordinal);
    }
}
