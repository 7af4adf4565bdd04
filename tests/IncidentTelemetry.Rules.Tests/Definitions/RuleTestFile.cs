using System.Text.Encodings.Web;
using System.Text.Json;
using IncidentTelemetry.Rules.Rendering;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>Writes a promtool unit-test file (JSON, which is YAML) and runs <c>promtool test rules</c> on it.</summary>
internal static class RuleTestFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The test file. Groups are evaluated in the configuration's order (recording rules first): promtool would
    /// otherwise take them in map order, so an alert would see this step's recorded series in one run and the
    /// previous step's in the next.
    /// </summary>
    public static string Write(string rulesFile, RulesConfiguration configuration, TimeSpan evaluationInterval, IEnumerable<RuleTest> tests)
    {
        var document = new Dictionary<string, object>
        {
            ["rule_files"] = new[] { rulesFile },
            ["evaluation_interval"] = PromDuration.Format(evaluationInterval),
            ["group_eval_order"] = RuleGroupLayout.Of(configuration, new RuleContext(configuration)).Select(g => g.Name).ToList(),
            ["tests"] = tests.Select(t => new Dictionary<string, object>
            {
                ["name"] = t.Name,
                ["interval"] = PromDuration.Format(t.Interval),
                ["input_series"] = t.Input.Select(s => new Dictionary<string, string> { ["series"] = s.Series, ["values"] = s.Values }).ToList(),
                ["alert_rule_test"] = t.Checks.Select(c => new Dictionary<string, object>
                {
                    ["eval_time"] = PromDuration.Format(c.At),
                    ["alertname"] = c.Alert,
                    ["exp_alerts"] = c.Expected.Select(e => new Dictionary<string, object>
                    {
                        ["exp_labels"] = e.Labels,
                        ["exp_annotations"] = e.Annotations,
                    }).ToList(),
                }).ToList(),
            }).ToList(),
        };
        return JsonSerializer.Serialize(document, Options);
    }

    /// <summary>
    /// Writes the rules and the tests into <paramref name="directory"/> and runs promtool; returns its exit code and
    /// output. Every test's input is first re-spaced to a sample every 30 s at most (<see cref="Scrape.Respaced(IEnumerable{RuleTest})"/>):
    /// cases may be written a sample a minute, but no rule is tested on input a real scrape would not produce. Cases of
    /// pushed (OTLP) input pass <paramref name="asScraped"/> false: a push every 60 s is what they test.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string directory, RulesConfiguration configuration, TimeSpan evaluationInterval, IEnumerable<RuleTest> tests, bool asScraped = true)
    {
        tests = asScraped ? Scrape.Respaced(tests).ToList() : tests.ToList();
        var rulesFile = Path.Combine(directory, "rules.yml");
        await File.WriteAllTextAsync(rulesFile, RuleRenderer.Render(configuration, RuleFormat.Prometheus));
        var testFile = Path.Combine(directory, "tests.yml");
        await File.WriteAllTextAsync(testFile, Write(rulesFile, configuration, evaluationInterval, tests));
        return await PrometheusTools.PromtoolAsync("test", "rules", testFile);
    }
}
