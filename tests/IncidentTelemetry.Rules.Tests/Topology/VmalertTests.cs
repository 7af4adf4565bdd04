using System.Globalization;
using System.Text;
using IncidentTelemetry.Rules.Tests.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Topology;

/// <summary>
/// The key promtool cases evaluated by a second real evaluator: the same inputs imported into VictoriaMetrics at past
/// timestamps, the same rules replayed by vmalert, and the <c>ALERTS</c> series it writes compared with each check's
/// expected alerts (labels; vmalert does not store annotations). Each case gets its own four hours, so that cases
/// never see each other's series.
/// </summary>
public sealed class VmalertTests
{
    /// <summary>One alert per incident and the alerts whose PromQL is least ordinary (absent, unless, resets, quantiles).</summary>
    private static readonly string[] KeyAlerts =
    [
        "ConnectionPoolUtilisationCritical", "ServiceMetricsMissing", "ServiceRestarted", "ServiceLatencyP95High",
        "RedisMemoryHigh", "RedisSentinelFailover", "DatabaseQueryLatencyP95High",
    ];

    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Slot = TimeSpan.FromHours(4);

    [Fact]
    public async Task VmalertReplay_KeyAlertCases_FireAndStaySilentAsUnderPromtool()
    {
        var cases = KeyAlerts.SelectMany(a => Scrape.Respaced(AlertCases.ByAlert[a]()).Select(t => (Alert: a, Test: t))).ToList();
        var start = DateTimeOffset.FromUnixTimeSeconds((DateTimeOffset.UtcNow - TimeSpan.FromDays(2)).ToUnixTimeSeconds() / 3600 * 3600);
        var configuration = SampleShop.Configuration;

        using var dir = new TempDirectory("it-vmalert-");
        var rules = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(rules, WithoutQueryTemplates(RuleRenderer.Render(configuration, RuleFormat.Prometheus)));
        using var vm = await VictoriaMetricsServer.StartAsync();
        var import = new StringBuilder();
        foreach (var ((_, test), i) in cases.Select((c, i) => (c, i)))
        {
            var origin = start + (Slot * i);
            foreach (var (series, values) in test.Input)
            {
                foreach (var (value, k) in Scrape.Expand(values).Select((v, k) => (v, k)))
                {
                    if (value is { } v)
                    {
                        var at = (origin + (test.Interval * k)).ToUnixTimeMilliseconds();
                        import.Append(series.Replace(", ", ",", StringComparison.Ordinal)).Append(' ')
                            .Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(' ').Append(at.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    }
                }
            }
        }

        await vm.ImportAsync(import.ToString());
        var (exit, output) = await vm.ReplayAsync(rules, start, start + (Slot * cases.Count), Step);
        Assert.True(exit == 0, output);

        var problems = new List<string>();
        foreach (var ((alert, test), i) in cases.Select((c, i) => (c, i)))
        {
            foreach (var check in test.Checks.Where(c => c.Alert == alert))
            {
                var firing = await vm.QueryAsync($"ALERTS{{alertname=\"{alert}\", alertstate=\"firing\"}}", start + (Slot * i) + check.At, Step);
                var got = firing.Select(f => Key(f.Labels.Where(l => l.Key is not ("__name__" or "alertname" or "alertstate" or "alertgroup")))).Order(StringComparer.Ordinal).ToList();
                var expected = check.Expected.Select(e => Key(e.Labels)).Order(StringComparer.Ordinal).ToList();
                if (!got.SequenceEqual(expected))
                {
                    var recorded = await vm.QueryAsync("{__name__=~\"job.*:.*\"}", start + (Slot * i) + check.At, Step);
                    problems.Add($"{test.Name} at {check.At}: expected [{string.Join(" | ", expected)}], vmalert [{string.Join(" | ", got)}]; recorded then: {string.Join(", ", recorded.Select(r => $"{r.Labels["__name__"]}={r.Value}"))}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n" + output);
    }

    /// <summary>
    /// The rendered file without the burn-rate alerts' <c>budget_remaining</c> annotation: it runs a PromQL query from
    /// its template (<c>query</c>), which live vmalert supports and its replay mode refuses ("`query` template isn't
    /// supported in replay mode", a fatal error for the whole replay). Replay stores no annotations anyway; the
    /// expressions, labels and <c>for</c> replayed stay exactly those rendered. docs/alerts.md says so for users.
    /// </summary>
    private static string WithoutQueryTemplates(string rendered)
    {
        var lines = rendered.Split('\n');
        var kept = lines.Where(l => !(l.TrimStart().StartsWith("budget_remaining:", StringComparison.Ordinal) && l.Contains("| query }}", StringComparison.Ordinal))).ToList();
        Assert.True(kept.Count < lines.Length, "no budget_remaining annotation in the sample configuration's rules: the replay no longer covers the burn-rate alerts' file");
        return string.Join('\n', kept);
    }

    private static string Key(IEnumerable<KeyValuePair<string, string>> labels)
        => string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
