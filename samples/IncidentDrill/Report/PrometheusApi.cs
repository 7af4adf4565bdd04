using System.Globalization;
using System.Text.Json;
using LocalComponents;

namespace IncidentDrill.Report;

/// <summary>One series of a range query: its labels and its (unix seconds, value) points.</summary>
internal sealed record RangeSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(double Time, double Value)> Points);

/// <summary>A rule as Prometheus loaded it (<c>/api/v1/rules</c>).</summary>
internal sealed record LoadedRule(string Kind, string Name, string Query, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations);

/// <summary>
/// The two Prometheus HTTP API calls the charts need, kept raw as well as parsed: the report keeps
/// Prometheus's own answers beside each chart, so that what a chart shows can be checked against them.
/// </summary>
internal sealed class PrometheusApi(Uri baseUri, HttpClient http)
{
    /// <summary>Every rule Prometheus loaded, and the raw answer.</summary>
    public async Task<(IReadOnlyList<LoadedRule> Rules, string Raw)> RulesAsync(CancellationToken token)
    {
        var raw = await http.GetStringAsync(new Uri(baseUri, "/api/v1/rules"), token);
        return (ParseRules(raw), raw);
    }

    /// <summary><c>query_range</c> from <paramref name="start"/> to <paramref name="end"/>, and the raw answer.</summary>
    public async Task<(IReadOnlyList<RangeSeries> Series, string Raw)> RangeAsync(string query, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken token)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"/api/v1/query_range?query={Uri.EscapeDataString(query)}&start={start.ToUnixTimeMilliseconds() / 1000.0:0.###}&end={end.ToUnixTimeMilliseconds() / 1000.0:0.###}&step={step.TotalSeconds:0.###}");
        using var response = await http.GetAsync(new Uri(baseUri, url), token);
        var raw = await response.Content.ReadAsStringAsync(token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"query_range {query}: {(int)response.StatusCode} {raw}");
        }

        return (ParseMatrix(raw), raw);
    }

    public static IReadOnlyList<LoadedRule> ParseRules(string raw)
    {
        using var json = JsonDocument.Parse(raw);
        var rules = new List<LoadedRule>();
        foreach (var group in json.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray())
        {
            foreach (var rule in group.GetProperty("rules").EnumerateArray())
            {
                rules.Add(new LoadedRule(
                    rule.GetProperty("type").GetString() ?? "?",
                    rule.GetProperty("name").GetString() ?? "?",
                    rule.GetProperty("query").GetString() ?? string.Empty,
                    Strings(rule, "labels"),
                    Strings(rule, "annotations")));
            }
        }

        return rules;
    }

    public static IReadOnlyList<RangeSeries> ParseMatrix(string raw)
    {
        using var json = JsonDocument.Parse(raw);
        var series = new List<RangeSeries>();
        foreach (var item in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var points = new List<(double, double)>();
            foreach (var value in item.GetProperty("values").EnumerateArray())
            {
                points.Add((value[0].GetDouble(), PrometheusServer.ParseValue(value[1])));
            }

            series.Add(new RangeSeries(Strings(item, "metric"), points));
        }

        return series;
    }

    private static Dictionary<string, string> Strings(JsonElement element, string property)
        => element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
