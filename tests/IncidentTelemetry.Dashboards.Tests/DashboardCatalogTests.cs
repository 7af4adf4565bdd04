using System.Text.RegularExpressions;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Rendering;
using IncidentTelemetry.Dashboards.Tests.Infrastructure;

namespace IncidentTelemetry.Dashboards.Tests;

public sealed partial class DashboardCatalogTests
{
    private static readonly Dictionary<string, string> VariableLabels = new(StringComparer.Ordinal)
    {
        ["route"] = Labels.HttpRoute.Name,
        ["peer"] = Labels.PeerService.Name,
        ["pool"] = Labels.DbConnectionPoolName.Name,
    };

    [Fact]
    public void Render_CommittedDashboards_EqualFreshRender()
    {
        var rendered = DashboardCatalog.Render();

        Assert.Equal(rendered.Select(r => r.FileName).Order(StringComparer.Ordinal), CommittedDashboards.Files);
        foreach (var (fileName, json) in rendered)
        {
            var committed = File.ReadAllText(Repository.File("dashboards", fileName));
            Assert.True(
                committed == DashboardRenderer.ToJson(json),
                $"dashboards/{fileName} differs from the generator's output: run `dotnet run --project src/IncidentTelemetry.Dashboards -- render dashboards` and commit.");
        }
    }

    [Fact]
    public void AllQueries_EveryDashboard_CoversEveryPanelTarget()
    {
        var queries = RenderedQueries.All();

        foreach (var dashboard in CommittedDashboards.All())
        {
            var uid = (string)dashboard["uid"]!;
            var targets = CommittedDashboards.DataPanels(dashboard).Sum(p => p["targets"]!.AsArray().Count);
            Assert.True(targets > 0, uid);
            Assert.Equal(targets, queries.Count(q => q.Dashboard == uid && q.Kind == GrafanaQueryKind.Panel));
        }
    }

    [Fact]
    public async Task AllQueries_VariablesSubstituted_ParseWithPromtool()
    {
        var queries = RenderedQueries.All();

        var (exitCode, output) = await PrometheusTools.CheckExpressionsAsync([.. queries.Select(q => q.Substituted)]);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"SUCCESS: {queries.Count} rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckExpressions_VariableLeftInQuery_Fails()
    {
        // The parse check above must be able to fail: an unsubstituted variable is not PromQL.
        var raw = RenderedQueries.All().First(q => q.Expr.Contains("$__rate_interval", StringComparison.Ordinal)).Expr;

        var (exitCode, output) = await PrometheusTools.CheckExpressionsAsync([raw]);

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AllQueries_EveryMetricName_IsInTheCatalogue()
    {
        var unknown = new List<string>();
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var q in RenderedQueries.All())
        {
            var selectors = PromqlScanner.Selectors(q.Substituted);
            Assert.True(selectors.Count > 0, $"{q.Source}: no metric in {q.Substituted}");
            foreach (var (metric, _) in selectors)
            {
                used.Add(metric);

                // ALERTS is Prometheus's own series of alert states, not exported by any target.
                if (metric != MetricCatalogue.Alerts.Name && MetricCatalogue.BySeries(metric) is null)
                {
                    unknown.Add($"{q.Source}: {metric}");
                }
            }
        }

        Assert.True(unknown.Count == 0, string.Join("\n", unknown));
        Assert.Contains("http_server_request_duration_seconds_bucket", used);
        Assert.Contains("redis_sentinel_master_status", used);
    }

    [Fact]
    public void AllQueries_EveryVariableReferenced_IsDefined()
    {
        foreach (var dashboard in CommittedDashboards.All())
        {
            var defined = dashboard["templating"]!["list"]!.AsArray().Select(v => (string)v!["name"]!).ToHashSet(StringComparer.Ordinal);
            foreach (var q in GrafanaDashboard.Queries(dashboard))
            {
                foreach (var name in GrafanaDashboard.VariablesIn(q.Expr))
                {
                    Assert.True(
                        defined.Contains(name) || GrafanaDashboard.BuiltIns.ContainsKey(name),
                        $"{q.Source}: ${name} is not defined");
                }

                Assert.DoesNotContain("$", q.Substituted, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void AllQueries_ServiceSeries_FilterOnEveryApplicableVariable()
    {
        foreach (var dashboard in CommittedDashboards.All())
        {
            var defined = dashboard["templating"]!["list"]!.AsArray().Select(v => (string)v!["name"]!).ToHashSet(StringComparer.Ordinal);
            foreach (var q in GrafanaDashboard.Queries(dashboard).Where(q => q.Kind == GrafanaQueryKind.Panel))
            {
                foreach (var (metric, matchers) in PromqlScanner.Selectors(q.Expr))
                {
                    var where = $"{q.Source}: {metric}{{{matchers}}}";
                    if (metric.StartsWith("redis_", StringComparison.Ordinal))
                    {
                        Assert.True(matchers.Contains("job=~\"$redis_job\"", StringComparison.Ordinal), where);
                        continue;
                    }

                    Assert.True(matchers.Contains("job=~\"$job\"", StringComparison.Ordinal), where);
                    Assert.True(matchers.Contains("instance=~\"$instance\"", StringComparison.Ordinal), where);
                    var labels = MetricCatalogue.BySeries(metric)!.Labels;
                    foreach (var (variable, label) in VariableLabels)
                    {
                        if (defined.Contains(variable) && labels.Any(l => l.Name == label))
                        {
                            Assert.True(matchers.Contains($"{label}=~\"${variable}\"", StringComparison.Ordinal), where);
                        }
                    }
                }
            }
        }
    }

    [Fact]
    public void AllQueries_VariableQueries_ReadSeriesThatCarryTheirLabel()
    {
        foreach (var dashboard in CommittedDashboards.All())
        {
            foreach (var variable in dashboard["templating"]!["list"]!.AsArray().Where(v => (string?)v!["type"] == "query"))
            {
                var definition = (string)variable!["definition"]!;
                var m = LabelValuesPattern().Match(definition);
                Assert.True(m.Success, definition);
                var (metric, _) = Assert.Single(PromqlScanner.Selectors(m.Groups["selector"].Value));
                var label = m.Groups["label"].Value;

                // job and instance are target labels every scraped series carries.
                Assert.True(label is "job" or "instance" || MetricCatalogue.BySeries(metric)!.Labels.Any(l => l.Name == label), $"{definition}: {metric} has no {label}");
                Assert.True((bool)variable["multi"]!, definition);
                Assert.True((bool)variable["includeAll"]!, definition);
            }
        }
    }

    [Fact]
    public void AllQueries_RatesAndQuantiles_UseRateIntervalAndAggregateByLe()
    {
        // The error-budget dashboard measures over the burn-rate alerts' own windows (1h, 6h, 1d, 30d) and reads one
        // bucket (the objective's threshold) as a share of requests, not a quantile: what the alerts compare.
        foreach (var q in RenderedQueries.All().Where(q => q.Kind != GrafanaQueryKind.Variable && !q.Source.StartsWith("incidenttelemetry-error-budgets ", StringComparison.Ordinal)))
        {
            foreach (Match rate in RateWindowPattern().Matches(q.Expr))
            {
                Assert.True(rate.Groups["window"].Value == "$__rate_interval", $"{q.Source}: {rate.Value}");
            }

            var buckets = Regex.Count(q.Expr, @"_bucket\{");
            Assert.Equal(buckets, QuantilePattern().Count(q.Expr));
            Assert.Equal(Regex.Count(q.Expr, @"histogram_quantile\("), buckets);
        }
    }

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*(?<label>\w+)\)$")]
    private static partial Regex LabelValuesPattern();

    [GeneratedRegex(@"\b(?:rate|irate|increase)\([^()\[]*\[(?<window>[^\]]*)\]")]
    private static partial Regex RateWindowPattern();

    [GeneratedRegex(@"histogram_quantile\([0-9.]+, sum by \(le(?:, [a-z_, ]+)?\) \(rate\([a-z_]+_bucket\{")]
    private static partial Regex QuantilePattern();
}
