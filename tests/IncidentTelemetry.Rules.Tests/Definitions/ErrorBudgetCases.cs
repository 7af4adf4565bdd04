using System.Globalization;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// promtool cases of the error-budget (burn-rate) alerts on the sample shop's api-gateway (availability 99.9 %, latency
/// 99 % under 500 ms, 30 days; <c>/api/checkout</c> slow by design and out of the latency objective), with the input as a
/// scrape takes it: Hosting's request counter and histogram per route and status code, a sample every 30 s, 5xx series
/// that appear with the first error. When each alert fires or stays silent is written out here, from the workbook's
/// arithmetic in the comments; the values in the texts (burn rate, budget left) come from <see cref="BudgetModel"/>.
/// </summary>
internal static class ErrorBudgetCases
{
    /// <summary>
    /// The sample shop's configuration: its api-gateway has the objectives and lists the four burn-rate alerts (the
    /// campaign drill expects the latency page). Fails loudly if the list loses them, so the cases cannot run vacuously.
    /// </summary>
    public static RulesConfiguration Configuration
    {
        get
        {
            var configuration = SampleShop.Configuration;
            var rendered = RuleRenderer.Render(configuration, RuleFormat.Prometheus);
            foreach (var alert in new[] { "AvailabilityBudgetBurnFast", "AvailabilityBudgetBurnSlow", "LatencyBudgetBurnFast", "LatencyBudgetBurnSlow" })
            {
                if (!rendered.Contains($"alert: {alert}", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{SampleShop.ConfigurationFile}: api-gateway no longer lists {alert}");
                }
            }

            return configuration;
        }
    }

    /// <summary>The configuration an alert's promtool cases run with: the sample shop's, checked for the burn-rate alerts for those.</summary>
    public static RulesConfiguration ConfigurationFor(string alert)
        => IncidentTelemetry.Rules.Definitions.ErrorBudget.IsBudgetAlert(alert) ? Configuration : SampleShop.Configuration;

    /// <summary>The evaluation interval the alert cases run at (AlertRuleTests, ClusterCasesTests, LeSpellingTests).</summary>
    public static readonly TimeSpan Evaluation = TimeSpan.FromMinutes(1);

    public const string Gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";

    private const string Catalog = "/api/catalog/items";
    private const string Checkout = "/api/checkout";

    /// <summary>The sample shop's api-gateway objectives and the alert labels its rules write.</summary>
    public static readonly BudgetModel.Objective GatewayAvailability = new("api-gateway", "platform", "P2", Availability: true, Target: 99.9, Threshold: 0.5, Excluded: [], PerRoute: false);

    public static readonly BudgetModel.Objective GatewayLatency = GatewayAvailability with { Availability = false, Target = 99, Excluded = [Checkout] };

    public static IEnumerable<RuleTest> AvailabilityFast()
    {
        const string alert = "AvailabilityBudgetBurnFast";

        // 22 requests/s (20 on the catalogue, 2 on checkout). From minute 120 to 160 the catalogue answers 2/s with a 500:
        // 9.1 % errors, 91 times the 0.1 % budget. The 5m window passes 14.4x at once, the 1h window after 10 minutes
        // (10/60 x 91 = 15.2); pending at 130, firing at 132 (for: 2m). When the errors stop, the 1h/5m pair ends
        // within 5 minutes; the 6h/30m pair (6x) holds the page until the 30m window has under two minutes of errors
        // left, about 188: the short window ends the page soon after the burn, the long one alone never keeps it.
        var traffic = new BudgetModel(220,
            new(Catalog, "200", m => m is >= 120 and < 160 ? 18 : 20),
            new(Catalog, "500", m => m is >= 120 and < 160 ? 2 : 0, Start: 120),
            new(Checkout, "200", _ => 2, FastShare: _ => 0.3));
        yield return traffic.Test("AvailabilityBudgetBurnFast: 9% errors for 40 minutes page within 12 minutes and resolve within the short window", alert, GatewayAvailability,
            [(129, false), (132, true), (145, true), (159, true), (170, true), (192, false), (219, false)]);

        // A blip: 18 % errors for 3 minutes. The 5m window burns over 100x, but the hour only 9x: no page.
        var blip = new BudgetModel(180,
            new(Catalog, "200", m => m is >= 120 and < 123 ? 16 : 20),
            new(Catalog, "500", m => m is >= 120 and < 123 ? 4 : 0, Start: 120),
            new(Checkout, "200", _ => 2, FastShare: _ => 0.3));
        yield return blip.Test("AvailabilityBudgetBurnFast silent: 18% errors for 3 minutes, shorter than the short window", alert, GatewayAvailability,
            [(121, false), (123, false), (126, false), (130, false), (179, false)]);

        // Slow: 0.5 % errors (5x) from hour 6 never reach 6x over 6h or 14.4x over 1h.
        yield return SlowBurn(availability: true).Test("AvailabilityBudgetBurnFast silent: a 5x burn for three hours does not page", alert, GatewayAvailability,
            [(420, false), (480, false), (539, false)]);
    }

    public static IEnumerable<RuleTest> AvailabilitySlow()
    {
        const string alert = "AvailabilityBudgetBurnSlow";

        // Six healthy hours, then 0.5 % errors (5x the budget). The 3d window covers the service's life (it is younger):
        // its burn passes 1x when 5k / (360 + k) > 1, about 95 minutes into the burn, the 6h window after 72: pending at
        // about 455, firing 15 minutes later. The 1d/2h pair (3x) needs the day's burn at 3x: not within these hours.
        yield return SlowBurn(availability: true).Test("AvailabilityBudgetBurnSlow: 5x for three hours after six healthy ones opens a ticket", alert, GatewayAvailability,
            [(400, false), (450, false), (480, true), (539, true)]);

        yield return Quiet().Test("AvailabilityBudgetBurnSlow silent: no traffic at all (a 5xx series from before, no requests)", alert, GatewayAvailability,
            [(30, false), (119, false)]);
    }

    public static IEnumerable<RuleTest> LatencyFast()
    {
        const string alert = "LatencyBudgetBurnFast";

        // From minute 120 to 170, 30 % of the catalogue's requests take over 500 ms (its P95 near 2 s, w50-3): 27 % of
        // the service's judged requests, 27x the 1 % budget. 1h passes 14.4x after 32 minutes: pending at 152, firing at
        // 154; after the slowdown the 6h/30m pair holds it until the 30m window has less than 6.6 slow minutes, about
        // 194. Checkout, 70 % slow by design all along,
        // is out of the objective: judged with it, the service would burn 6.4x all day.
        var slowdown = new BudgetModel(220,
            new(Catalog, "200", _ => 20, FastShare: m => m is >= 120 and < 170 ? 0.7 : 1),
            new(Checkout, "200", _ => 2, FastShare: _ => 0.3));
        yield return slowdown.Test("LatencyBudgetBurnFast: 30% of requests over 500ms for 50 minutes page after about 34", alert, GatewayLatency,
            [(150, false), (155, true), (169, true), (180, true), (197, false), (219, false)]);

        var slowRoute = new BudgetModel(240,
            new(Catalog, "200", _ => 20),
            new(Checkout, "200", _ => 2, FastShare: _ => 0.3));
        yield return slowRoute.Test("LatencyBudgetBurnFast silent: only the route slow by design is slow", alert, GatewayLatency,
            [(60, false), (180, false), (239, false)]);
    }

    public static IEnumerable<RuleTest> LatencySlow()
    {
        const string alert = "LatencyBudgetBurnSlow";
        yield return SlowBurn(availability: false).Test("LatencyBudgetBurnSlow: 5x for three hours after six healthy ones opens a ticket", alert, GatewayLatency,
            [(400, false), (450, false), (480, true), (539, true)]);

        yield return Quiet().Test("LatencyBudgetBurnSlow silent: no traffic at all", alert, GatewayLatency,
            [(30, false), (119, false)]);
    }

    /// <summary>
    /// Nine hours: six healthy, then 5x the budget: 0.5 % of the service's requests fail (0.11/s of 22/s, all on the
    /// catalogue), or 5 % of the judged requests (the catalogue's 20/s; checkout is out) are slower than 500 ms.
    /// </summary>
    private static BudgetModel SlowBurn(bool availability)
    {
        const double share = 0.05;
        return availability
            ? new BudgetModel(540,
                new(Catalog, "200", m => m >= 360 ? 20 - 0.11 : 20),
                new(Catalog, "500", m => m >= 360 ? 0.11 : 0, Start: 360),
                new(Checkout, "200", _ => 2, FastShare: _ => 0.3))
            : new BudgetModel(540,
                new(Catalog, "200", _ => 20, FastShare: m => m >= 360 ? 1 - share : 1),
                new(Checkout, "200", _ => 2, FastShare: _ => 0.3));
    }

    /// <summary>Two hours without a request: the counters (and a 5xx series from an earlier error) stand still.</summary>
    private static BudgetModel Quiet()
        => new(120,
            new(Catalog, "200", _ => 0, Offset: 5000),
            new(Catalog, "500", _ => 0, Offset: 3),
            new(Checkout, "200", _ => 0, Offset: 700));
}

/// <summary>
/// Input series for a service's requests, and a model of what the error-budget rules compute from them: Prometheus 2's
/// <c>rate</c> over counters sampled every 30 s that start at 0 (no extrapolation at either end of a window then: the last
/// sample is at the evaluation time, and a series younger than the window starts at zero), the recorded five-minute
/// rates averaged over the day-long windows, and the texts' formatting (Go's <c>%.4g</c>). Used for the values in the
/// alert texts only; when an alert fires is written out by each case.
/// </summary>
internal sealed class BudgetModel
{
    private const int SamplesPerMinute = 2;
    private readonly int minutes;
    private readonly List<(Stream Stream, double?[] Count, double?[] Fast)> series = [];

    public BudgetModel(int minutes, params Stream[] streams)
    {
        this.minutes = minutes;
        foreach (var stream in streams)
        {
            var count = new double?[(minutes * SamplesPerMinute) + 1];
            var fast = new double?[count.Length];
            double total = stream.Offset, fastTotal = stream.Offset;
            for (var i = stream.Start * SamplesPerMinute; i < count.Length; i++)
            {
                if (i > stream.Start * SamplesPerMinute)
                {
                    var minute = (i - 0.5) / SamplesPerMinute;
                    var perSample = stream.PerSecond(minute) * 30;
                    total += perSample;
                    fastTotal += perSample * (stream.FastShare?.Invoke(minute) ?? 1);
                }

                count[i] = total;
                fast[i] = fastTotal;
            }

            this.series.Add((stream, count, fast));
        }
    }

    /// <summary>One route's requests with one status code; the share faster than 500 ms (default all), from minute <c>Start</c>.</summary>
    public sealed record Stream(string Route, string Status, Func<double, double> PerSecond, int Start = 0, Func<double, double>? FastShare = null, double Offset = 0);

    /// <summary>An objective as the rules render it, with the labels its alerts carry.</summary>
    public sealed record Objective(string Service, string Team, string Priority, bool Availability, double Target, double Threshold, string[] Excluded, bool PerRoute);

    /// <summary>The input series: _count and the 500 ms and +Inf buckets per route and status code.</summary>
    public IEnumerable<(string Series, string Values)> Input(string target)
    {
        foreach (var (stream, count, fast) in this.series)
        {
            var labels = $"{target}, http_route=\"{stream.Route}\", http_request_method=\"GET\", http_response_status_code=\"{stream.Status}\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
            yield return ($"http_server_request_duration_seconds_count{{{labels}}}", Series.Values(count));
            yield return ($"http_server_request_duration_seconds_bucket{{{labels}, le=\"0.5\"}}", Series.Values(fast));
            yield return ($"http_server_request_duration_seconds_bucket{{{labels}, le=\"+Inf\"}}", Series.Values(count));
        }
    }

    /// <summary>A promtool test: the input, and at each (minute, firing) check the alert firing with its texts or silent.</summary>
    public RuleTest Test(string name, string alert, Objective objective, IEnumerable<(int Minute, bool Firing)> checks)
        => this.Test(name, alert, objective, ErrorBudgetCases.Gateway, checks.Select(c => (c.Minute, c.Firing ? (IReadOnlyList<string>?)[] : null)));

    /// <summary>
    /// A promtool test for <paramref name="target"/> (job and instance labels): at each check the alert fires for the
    /// routes listed (an empty list: the service-wide objective) or, for null, stays silent.
    /// </summary>
    public RuleTest Test(string name, string alert, Objective objective, string target, IEnumerable<(int Minute, IReadOnlyList<string>? Routes)> checks)
        => new(name, TimeSpan.FromSeconds(30), [.. this.Input(target)],
            [.. checks.Select(c => new AlertCheck(TimeSpan.FromMinutes(c.Minute), alert, c.Routes is { } routes ? this.Expected(alert, objective, c.Minute, routes.Count == 0 ? null : routes) : []))]);

    /// <summary>The alerts firing at <paramref name="minute"/>, one per route when the objective is per route.</summary>
    public IReadOnlyList<ExpectedAlert> Expected(string alert, Objective objective, int minute, IReadOnlyList<string>? routes)
    {
        var page = alert.EndsWith("Fast", StringComparison.Ordinal);
        var groups = objective.PerRoute ? (routes ?? [.. this.series.Select(s => s.Stream.Route).Distinct()]).Select(r => (IReadOnlyList<string>)[r]) : [this.Judged(objective)];
        var result = new List<ExpectedAlert>();
        foreach (var group in groups)
        {
            var pairs = page ? new[] { ("1h", "5m", 14.4), ("6h", "30m", 6.0) } : [("1d", "2h", 3.0), ("3d", "6h", 1.0)];
            double? value = null;
            foreach (var (longWindow, shortWindow, factor) in pairs)
            {
                var longBurn = this.Burn(objective, group, longWindow, minute);
                var shortBurn = this.Burn(objective, group, shortWindow, minute);
                if (longBurn > factor && shortBurn > factor)
                {
                    value = longBurn;
                    break;
                }
            }

            Assert.True(value is not null, $"{alert} is expected to fire at minute {minute}, but the model has no burn above its factors there");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["severity"] = page ? "critical" : "warning",
                ["team"] = objective.Team,
                ["service"] = objective.Service,
                ["priority"] = objective.Priority,
                ["job"] = objective.Service,
            };
            var route = string.Empty;
            if (objective.PerRoute)
            {
                labels["http_route"] = group[0];
                route = " on " + group[0];
            }

            var kind = objective.Availability ? "availability" : "latency";
            var what = objective.Availability
                ? $"{Number(objective.Target)}% of requests without a server error (5xx)"
                : $"{Number(objective.Target)}% of requests faster than {Number(objective.Threshold * 1000)}ms";
            var thresholds = page ? "14.4x over 1h and 5m, or 6x over 6h and 30m" : "3x over 1d and 2h, or 1x over 3d and 6h";
            var who = objective.PerRoute ? $"{group[0]} on {objective.Service}" : objective.Service;
            var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["summary"] = page
                    ? $"{objective.Service}{route}: the {kind} error budget burns fast"
                    : $"{objective.Service}{route}: the {kind} error budget burns too fast to last the window",
                ["description"] = $"The error budget of {who} ({what} over 30d) burns {Humanize(value.Value)} times as fast as the objective allows (threshold: {thresholds}).",
                ["budget_remaining"] = $"{Percentage(1 - (this.Ratio(objective, group, "30d", minute)!.Value / Budget(objective)))} of the 30d budget left",
                ["runbook_url"] = RulesConfiguration.DefaultRunbookBaseUrl + alert + ".md",
            };
            result.Add(new ExpectedAlert(labels, annotations));
        }

        return result;
    }

    /// <summary>The routes a service-wide objective judges: every route but the excluded ones.</summary>
    private List<string> Judged(Objective objective)
        => [.. this.series.Select(s => s.Stream.Route).Distinct().Where(r => objective.Availability || !objective.Excluded.Contains(r))];

    private static double Budget(Objective objective) => Math.Round(1 - (objective.Target / 100), 10);

    private double? Burn(Objective objective, IReadOnlyList<string> routes, string window, int minute)
        => this.Ratio(objective, routes, window, minute) is { } ratio ? ratio / Budget(objective) : null;

    /// <summary>The error ratio the rules compute over a window at an evaluation minute; null where they have none.</summary>
    private double? Ratio(Objective objective, IReadOnlyList<string> routes, string window, int minute)
    {
        // sum by (job) over the routes: the requests of every route that has them, the errors of those that have any.
        double requests = 0, bad = 0;
        bool anyRequests = false, anyBad = false;
        foreach (var route in routes)
        {
            if (this.Recorded(route, window, minute) is not { } rates)
            {
                continue;
            }

            anyRequests = true;
            requests += rates.Requests;
            if (!objective.Availability || rates.Errors is not null)
            {
                anyBad = true;
                bad += objective.Availability ? rates.Errors!.Value : rates.Requests - rates.Fast;
            }
        }

        return anyRequests && anyBad && requests > 0 ? bad / requests : null;
    }

    /// <summary>A route's recorded request, error and fast rates over a window at an evaluation minute.</summary>
    private (double Requests, double? Errors, double Fast)? Recorded(string route, string window, int minute)
    {
        var span = ParseWindow(window);
        if (span <= TimeSpan.FromHours(6))
        {
            return this.Raw(route, (int)span.TotalMinutes, minute, zeroErrors: window == "5m");
        }

        // avg_over_time of the recorded 5m rates over the window (inclusive of both ends in Prometheus 2).
        var from = Math.Max(0, minute - (int)span.TotalMinutes);
        var points = Enumerable.Range(from, minute - from + 1).Where(m => m % (int)ErrorBudgetCases.Evaluation.TotalMinutes == 0)
            .Select(m => this.Raw(route, 5, m, zeroErrors: true)).OfType<(double Requests, double? Errors, double Fast)>().ToList();
        return points.Count == 0 ? null : (points.Average(p => p.Requests), points.Average(p => p.Errors!.Value), points.Average(p => p.Fast));
    }

    private (double Requests, double? Errors, double Fast)? Raw(string route, int windowMinutes, int minute, bool zeroErrors)
    {
        double requests = 0, fast = 0, errors = 0;
        bool anyRequests = false, anyErrors = false;
        var end = minute * SamplesPerMinute;
        foreach (var (stream, count, fastCount) in this.series.Where(s => s.Stream.Route == route))
        {
            var start = Math.Max(end - (windowMinutes * SamplesPerMinute), stream.Start * SamplesPerMinute);
            if (end >= count.Length || start >= end || count[start] is null)
            {
                continue;
            }

            var seconds = windowMinutes * 60.0;
            var rate = (count[end]!.Value - count[start]!.Value) / seconds;
            requests += rate;
            fast += (fastCount[end]!.Value - fastCount[start]!.Value) / seconds;
            anyRequests = true;
            if (stream.Status.StartsWith('5'))
            {
                errors += rate;
                anyErrors = true;
            }
        }

        if (!anyRequests)
        {
            return null;
        }

        return (requests, anyErrors ? errors : zeroErrors ? 0 : null, fast);
    }

    private static TimeSpan ParseWindow(string window) => window[^1] switch
    {
        'm' => TimeSpan.FromMinutes(int.Parse(window[..^1], CultureInfo.InvariantCulture)),
        'h' => TimeSpan.FromHours(int.Parse(window[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromDays(int.Parse(window[..^1], CultureInfo.InvariantCulture)),
    };

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Prometheus' <c>humanize</c> for values from 1 to 1000: Go's <c>%.4g</c>.</summary>
    private static string Humanize(double value)
    {
        Assert.InRange(value, 1, 999.9);
        return G4(value);
    }

    /// <summary>Prometheus' <c>humanizePercentage</c>: Go's <c>%.4g</c> of the value times 100, and '%'.</summary>
    private static string Percentage(double ratio) => G4(ratio * 100) + "%";

    /// <summary>Go's <c>%.4g</c> for values whose exponent is from -4 to 3 (the plain form, trailing zeros removed).</summary>
    private static string G4(double value)
    {
        var rounded = double.Parse(value.ToString("E3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var exponent = rounded == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(rounded)));
        Assert.InRange(exponent, -4, 3);
        var text = rounded.ToString("F" + Math.Max(0, 3 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text.TrimEnd('0').TrimEnd('.') : text;
    }
}
