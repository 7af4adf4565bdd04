using System.Globalization;
using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Rendering;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Otlp;

/// <summary>The <c>ingestion</c> and <c>pushInterval</c> keys: what they change in the render, and errors that name them.</summary>
public sealed partial class OtlpConfigurationTests
{
    [Theory]
    [InlineData("ingestion: pull\n", "ingestion", "'pull'")]
    [InlineData("ingestion: OTLP\n", "ingestion", "'OTLP'")]
    [InlineData("ingestion: [otlp]\n", "ingestion", "single value")]
    [InlineData("pushInterval: 0s\n", "pushInterval", "greater than 0")]
    [InlineData("pushInterval: 60\n", "pushInterval", "'60'")]
    public void Parse_InvalidIngestion_ErrorNamesTheKeyAndValue(string yaml, string key, string text)
    {
        var error = Assert.Throws<RulesConfigurationException>(() => RulesConfiguration.Parse(yaml));

        Assert.Equal(key, error.Key);
        Assert.StartsWith(key + ": ", error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Otlp_SetsTheModeAndTheDefaultPushInterval()
    {
        var configuration = RulesConfiguration.Parse("ingestion: otlp\n");

        Assert.Equal(Ingestion.Otlp, configuration.Ingestion);
        Assert.Equal(TimeSpan.FromSeconds(60), configuration.PushInterval);
        Assert.Equal(TimeSpan.FromSeconds(15), RulesConfiguration.Parse("ingestion: otlp\npushInterval: 15s\n").PushInterval);
    }

    [Fact]
    public void Render_ScrapeNamed_ByteIdenticalToTheDefaultAndTheCommittedFile()
    {
        var scrape = RuleRenderer.Render(RulesConfiguration.Parse("ingestion: scrape\npushInterval: 15s\n"), RuleFormat.Prometheus);

        Assert.Equal(RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus), scrape);
        Assert.True(scrape == File.ReadAllText(RuleFiles.PrometheusFile), "the scrape render differs from rules/incident-telemetry.rules.yml");
    }

    [Theory]
    [InlineData(60, 150)]
    [InlineData(30, 75)]
    [InlineData(15, 60)]
    public void Render_Otlp_NoRangeWindowShorterThanTwoAndAHalfPushes(int pushSeconds, int shortestSeconds)
    {
        var configuration = RulesConfiguration.Default.WithIngestion(Ingestion.Otlp, TimeSpan.FromSeconds(pushSeconds));
        var windows = RuleFiles.Rules(RuleRenderer.Render(configuration, RuleFormat.Prometheus))
            .SelectMany(r => RangeWindow().Matches(RuleFiles.Scalar(r.Rule, "expr")!).Select(m => m.Groups["window"].Value))
            .Select(w => PromDurationSeconds(w))
            .ToList();

        Assert.NotEmpty(windows);
        Assert.Equal(shortestSeconds, windows.Min());
    }

    [Fact]
    public void Render_Otlp_NoUpAndJobsMatchAnyNamespace()
    {
        var yaml = RuleRenderer.Render(SampleShop.Configuration.WithIngestion(Ingestion.Otlp), RuleFormat.Prometheus);
        var expressions = RuleFiles.Rules(yaml).Select(r => RuleFiles.Scalar(r.Rule, "expr")!).ToList();
        var jobs = expressions.SelectMany(e => JobMatcher().Matches(e).Select(m => m.Groups["pattern"].Value)).Distinct().ToList();

        // Only the redis_exporter targets, which are scraped (by Prometheus or a Collector's prometheus receiver, which
        // writes up too), keep up; nothing reads up for the apps that push.
        var app = RuleFiles.Rules(yaml).Where(r => RuleFiles.Scalar(r.Rule, "alert") != AlertName.RedisExporterDown).Select(r => RuleFiles.Scalar(r.Rule, "expr")!).ToList();
        Assert.DoesNotContain(app, e => Regex.IsMatch(e, @"(?<![\w:])up\b"));
        Assert.Contains("(?:.+/)?payment-service", jobs);
        foreach (var job in jobs.Where(j => j.Contains("payment-service", StringComparison.Ordinal)))
        {
            Assert.Matches($"^(?:{job})$", "shop/payment-service");
            Assert.Matches($"^(?:{job})$", "payment-service");
            Assert.DoesNotMatch($"^(?:{job})$", "shop/payment-service-canary");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PromtoolCheckRules_OtlpRender_CleanWithLint(bool byTeam)
    {
        var configuration = RulesConfiguration.Parse("services:\n  a: {team: web}\n  b: {team: web}\n  c: {team: ops, redisJob: redis-c}\n")
            .WithIngestion(Ingestion.Otlp).WithAggregationLabels("cluster").WithRuleGroups(grouping: byTeam ? RuleGrouping.Team : RuleGrouping.Service);
        using var dir = new TempDirectory("it-rules-otlp-check-");
        var file = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(file, RuleRenderer.Render(configuration, RuleFormat.Prometheus));

        var (exit, output) = await PrometheusTools.PromtoolAsync("check", "rules", "--lint=all", "--lint-fatal", file);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    private static int PromDurationSeconds(string text)
    {
        var total = 0;
        foreach (Match part in Regex.Matches(text, "([0-9]+)([smhdw])"))
        {
            var n = int.Parse(part.Groups[1].Value, CultureInfo.InvariantCulture);
            total += n * part.Groups[2].Value switch { "s" => 1, "m" => 60, "h" => 3600, "d" => 86400, _ => 604800 };
        }

        return total;
    }

    [GeneratedRegex(@"\[(?<window>[0-9smhdw]+)\]")]
    private static partial Regex RangeWindow();

    [GeneratedRegex("job=~\"(?<pattern>[^\"]+)\"")]
    private static partial Regex JobMatcher();
}
