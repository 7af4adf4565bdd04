using System.Text.Json;

namespace IncidentDrill;

/// <summary>One alert as Prometheus's <c>/api/v1/alerts</c> reports it.</summary>
internal sealed record ActiveAlert(string Name, string State, IReadOnlyDictionary<string, string> Labels, DateTimeOffset ActiveAt);

/// <summary>Reads the alerts a real Prometheus server is evaluating.</summary>
internal sealed class PrometheusAlerts(HttpClient client, Uri prometheus)
{
    public async Task<IReadOnlyList<ActiveAlert>> GetAsync(CancellationToken token)
    {
        using var response = await client.GetAsync(new Uri(prometheus, "/api/v1/alerts"), token);
        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(token), cancellationToken: token);
        var alerts = new List<ActiveAlert>();
        foreach (var alert in json.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray())
        {
            var labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            var activeAt = alert.TryGetProperty("activeAt", out var at) && at.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(at.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
                : DateTimeOffset.UtcNow;
            alerts.Add(new ActiveAlert(labels.GetValueOrDefault("alertname", "?"), alert.GetProperty("state").GetString() ?? "?", labels, activeAt));
        }

        return alerts;
    }

    /// <summary>Evaluates one PromQL expression now and returns the first sample's value, or null when empty.</summary>
    public async Task<double?> QueryScalarAsync(string expression, CancellationToken token)
    {
        using var response = await client.GetAsync(new Uri(prometheus, "/api/v1/query?query=" + Uri.EscapeDataString(expression)), token);
        response.EnsureSuccessStatusCode();
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(token), cancellationToken: token);
        var result = json.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }

        var value = result[0].GetProperty("value")[1].GetString();
        return double.Parse(value!, System.Globalization.CultureInfo.InvariantCulture);
    }
}
