using System.Globalization;
using IncidentTelemetry.Rules.Rendering;
using static IncidentTelemetry.Rules.Rendering.RuleContext;
using L = IncidentTelemetry.Catalogue.Labels;
using M = IncidentTelemetry.Catalogue.MetricCatalogue;

namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// Error-budget (burn-rate) alerts for the objectives of a service (<see cref="ServiceObjectives"/>): the Google SRE
/// workbook's multi-window, multi-burn-rate alerts. A page when 2 % of the window's budget burns within an hour or 5 %
/// within six hours, a ticket when 10 % burns within a day or within three days, each confirmed by a short window (a
/// twelfth of the long one) so that the alert ends soon after the burn does. For a 30-day window those are the
/// workbook's 14.4x (1h and 5m), 6x (6h and 30m), 3x (1d and 2h) and 1x (3d and 6h).
/// </summary>
/// <remarks>
/// <para>
/// Two alerts per objective, each with two window pairs (<c>or</c>), rather than Pyrra's four: the page and the ticket
/// are what a person does with them, and every pair of a kind goes to the same receiver; four alerts per objective
/// would also put a named service (20 alerts, Mimir's default group size) into three groups instead of two.
/// </para>
/// <para>
/// The recording rules keep the request and error <em>rates</em>, not ratios, summed by <c>job</c> and <c>http_route</c>:
/// the alerts sum them to a service or keep the route (per-route budgets are one rule grouped by the label), and a
/// ratio is only taken where the request rate is above zero, so a quiet service or route has no ratio (no NaN) and
/// neither fires nor errors. The day-long windows are averages of the recorded five-minute rates (one series per job
/// and route, not the raw series of every instance, status code and method), recorded once for every alert.
/// </para>
/// </remarks>
internal static class ErrorBudget
{
    /// <summary>The windows whose rates are taken from the raw counters.</summary>
    internal static readonly string[] RawWindows = ["5m", "30m", "1h", "2h", "6h"];

    /// <summary>The short window the longer ones are averaged from.</summary>
    internal const string BaseWindow = "5m";

    /// <summary>Page: 2 % of the budget within an hour (short window 5m), or 5 % within six hours (30m).</summary>
    internal static readonly BurnWindow[] Page = [new("1h", "5m", 0.02), new("6h", "30m", 0.05)];

    /// <summary>Ticket: 10 % of the budget within a day (short window 2h), or within three days (6h).</summary>
    internal static readonly BurnWindow[] Ticket = [new("1d", "2h", 0.10), new("3d", "6h", 0.10)];

    /// <summary>How long a page's condition must hold: two evaluations at a 1-minute interval, not one unlucky one.</summary>
    internal static readonly TimeSpan PageFor = TimeSpan.FromMinutes(2);

    /// <summary>How long a ticket's condition must hold.</summary>
    internal static readonly TimeSpan TicketFor = TimeSpan.FromMinutes(15);

    /// <summary>The shortest and longest objective window accepted: longer than the 3-day ticket window, at most a quarter.</summary>
    internal static readonly TimeSpan MinimumWindow = TimeSpan.FromDays(7);

    internal static readonly TimeSpan MaximumWindow = TimeSpan.FromDays(90);

    /// <summary>The defaults of <see cref="ServiceObjectives"/> (what <c>objectives: {}</c> gives), for the dashboards.</summary>
    internal static readonly double DefaultAvailabilityTarget = new ServiceObjectives().AvailabilityTarget!.Value;

    internal static readonly double DefaultLatencySeconds = new ServiceObjectives().LatencySeconds;

    internal static readonly TimeSpan DefaultWindow = new ServiceObjectives().Window;

    /// <summary>The latency target the dashboards draw (latency has no default target): the sample shop gateway's 99 %.</summary>
    internal const double ReferenceLatencyTarget = 99;

    /// <summary>The status codes that count against availability: server errors.</summary>
    internal const string ServerErrors = "5..";

    public static IReadOnlyList<AlertDefinition> Alerts { get; } =
    [
        Alert(AlertName.AvailabilityBudgetBurnFast, Objective.Availability, page: true),
        Alert(AlertName.AvailabilityBudgetBurnSlow, Objective.Availability, page: false),
        Alert(AlertName.LatencyBudgetBurnFast, Objective.Latency, page: true),
        Alert(AlertName.LatencyBudgetBurnSlow, Objective.Latency, page: false),
    ];

    /// <summary>Whether <paramref name="alert"/> is one of the burn-rate alerts.</summary>
    public static bool IsBudgetAlert(string alert) => Alerts.Any(a => a.Name == alert);

    /// <summary>The recorded request rate over <paramref name="window"/> (unscaled, as the series is named), by job and route.</summary>
    public static string Requests(string window) => $"job_http_route:slo_requests:rate{window}";

    /// <summary>The recorded rate of server errors (5xx) over <paramref name="window"/>, by job and route (0 when there are none).</summary>
    public static string Errors(string window) => $"job_http_route:slo_errors:rate{window}";

    /// <summary>The recorded rate of requests faster than each configured latency threshold (<c>le</c>), by job and route.</summary>
    public static string Fast(string window) => $"job_http_route_le:slo_fast_requests:rate{window}";

    /// <summary>An objective window as the recorded series name it (in days: 30d, not Prometheus' 4w2d).</summary>
    public static string WindowName(TimeSpan window) => ((int)window.TotalDays).ToString(CultureInfo.InvariantCulture) + "d";

    /// <summary>
    /// The recording rules the burn-rate alerts and the budget read, when any rendered service has one of the alerts:
    /// rates over the raw windows, then the day-long ones (1d, 3d and each objective window) as averages of the
    /// five-minute rates.
    /// </summary>
    public static IReadOnlyList<RecordingRule> Recording(RuleContext c)
    {
        var services = c.Configuration.Groups.Where(s => s.Alerts.Any(IsBudgetAlert)).ToList();
        if (services.Count == 0)
        {
            return [];
        }

        var bounds = services.Where(s => s.Alerts.Any(a => AlertCatalog.ByName[a].Needs == AlertNeeds.LatencyObjective))
            .Select(s => s.Objectives!.LatencySeconds).Distinct().Order().ToList();
        var longWindows = Ticket.Select(t => t.Long)
            .Concat(services.Select(s => WindowName(s.Objectives!.Window)))
            .Distinct(StringComparer.Ordinal).ToList();
        var jobs = c.JobSelector;
        var by = $"job, {L.HttpRoute}";
        var rules = new List<RecordingRule>();
        foreach (var window in RawWindows)
        {
            var w = c.Window(window);
            var requests = $"sum by ({by}) (rate({M.HttpServerRequestDuration.Count}{{{jobs}}}[{w}]))";
            rules.Add(new(Requests(window), requests));

            // The base window is averaged into the long ones: a job and route without any 5xx must count as 0 there, not
            // be missing (the average would then cover only the time since the first error).
            var errors = $"sum by ({by}) (rate({M.HttpServerRequestDuration.Count}{{{jobs}, {L.HttpResponseStatusCode}=~\"{ServerErrors}\"}}[{w}]))";
            rules.Add(new(Errors(window), window == BaseWindow ? $"{errors}\nor\n0 * {requests}" : errors));
            if (bounds.Count > 0)
            {
                // One canonical le per bound (0.5, 1), whatever the source wrote (1.0, 0.50): the alerts and the
                // dashboards then match it exactly, and join it with the objective's own bound.
                rules.Add(new(Fast(window), string.Join("\nor\n", bounds.Select(b =>
                    $"label_replace(\n  sum by ({by}) (rate({M.HttpServerRequestDuration.Bucket}{{{jobs}, le=~\"{LeMatcher(b)}\"}}[{w}])),\n  \"le\", \"{Number(b)}\", \"\", \"\"\n)"))));
            }
        }

        foreach (var window in longWindows)
        {
            var w = c.Window(window);
            rules.Add(new(Requests(window), $"avg_over_time({Requests(BaseWindow)}[{w}])"));
            rules.Add(new(Errors(window), $"avg_over_time({Errors(BaseWindow)}[{w}])"));
            if (bounds.Count > 0)
            {
                rules.Add(new(Fast(window), $"avg_over_time({Fast(BaseWindow)}[{w}])"));
            }
        }

        return rules;
    }

    /// <summary>
    /// A regular expression for a bucket bound in every spelling: <c>0[.]50*</c> matches 0.5 and 0.50, <c>1([.]0*)?</c>
    /// matches 1 and Prometheus 3's 1.0. The dot is a character class so that the expression needs no escaping in
    /// PromQL strings, Go templates or YAML.
    /// </summary>
    public static string LeMatcher(double bound)
    {
        var text = bound.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) ? text.Replace(".", "[.]", StringComparison.Ordinal) + "0*" : text + "([.]0*)?";
    }

    /// <summary>The burn-rate factor of a window pair for an objective window: the budget share burnt in the long window, as a multiple of the even rate.</summary>
    public static double Factor(BurnWindow pair, TimeSpan window)
        => Math.Round(pair.BudgetShare * window.TotalHours / PromDuration.Parse(pair.Long).TotalHours, 4);

    /// <summary>The error budget as a ratio: 1 minus the target (99.9 % → 0.001).</summary>
    public static double Budget(double targetPercent) => Math.Round(1 - (targetPercent / 100), 10);

    private static AlertDefinition Alert(string name, Objective objective, bool page)
        => new(
            name,
            page ? "critical" : "warning",
            page ? PageFor : TicketFor,
            (c, s) => Expression(c, s, objective, page ? Page : Ticket),
            (c, s) => Summary(s, objective, page),
            (c, s) => Description(c, s, objective, page ? Page : Ticket),
            objective == Objective.Availability ? AlertNeeds.AvailabilityObjective : AlertNeeds.LatencyObjective,
            (c, s) => [("budget_remaining", Remaining(c, s, objective))]);

    /// <summary>
    /// Each window pair: the burn rate over the long window above the pair's factor, and over the short one too; the
    /// value is the long window's burn rate.
    /// </summary>
    private static string Expression(RuleContext c, ServiceConfiguration s, Objective objective, BurnWindow[] pairs)
    {
        var o = s.Objectives!;
        var by = Grouping(s);
        return string.Join("\nor\n", pairs.Select(p =>
        {
            var factor = Number(Factor(p, o.Window));
            return $"(\n  {Indent(BurnRate(c, s, objective, p.Long))} > {factor}\n  and on ({by})\n  {Indent(BurnRate(c, s, objective, p.Short))} > {factor}\n)";
        }));
    }

    /// <summary>The error ratio over a recorded window divided by the budget: 1 burns the budget exactly in the objective window.</summary>
    private static string BurnRate(RuleContext c, ServiceConfiguration s, Objective objective, string window)
    {
        var o = s.Objectives!;
        var by = Grouping(s);
        var selector = Selector(c, s, objective);
        var requests = $"(sum by ({by}) ({Requests(window)}{{{selector}}}) > 0)";
        return objective == Objective.Availability
            ? $"(\n  sum by ({by}) ({Errors(window)}{{{selector}}})\n  / on ({by})\n  {requests}\n)\n/ {Number(Budget(o.AvailabilityTarget!.Value))}"
            : $"(\n  1 - sum by ({by}) ({Fast(window)}{{{selector}, le=\"{Number(o.LatencySeconds)}\"}})\n  / on ({by})\n  {requests}\n)\n/ {Number(Budget(o.LatencyTarget!.Value))}";
    }

    private static string Grouping(ServiceConfiguration s) => s.Objectives!.PerRoute ? $"job, {L.HttpRoute}" : "job";

    /// <summary>
    /// The service's job; for latency without the routes that have their own P95 threshold or are excluded
    /// (<c>routeP95Seconds</c>), as the service's P95 leaves them out: a route slow by design has no place in a
    /// service-wide latency objective.
    /// </summary>
    private static string Selector(RuleContext c, ServiceConfiguration s, Objective objective)
    {
        var own = s.OwnThresholdRoutes.ToList();
        return objective == Objective.Latency && own.Count > 0 ? $"{c.Job(s)}, {L.HttpRoute}!~{Quote(RouteAlternation(own))}" : c.Job(s);
    }

    private static string Summary(ServiceConfiguration s, Objective objective, bool page)
    {
        var what = objective == Objective.Availability ? "availability" : "latency";
        var route = s.Objectives!.PerRoute ? $" on {{{{ $labels.{L.HttpRoute} }}}}" : string.Empty;
        return page
            ? $"{s.Display}{route}: the {what} error budget burns fast"
            : $"{s.Display}{route}: the {what} error budget burns too fast to last the window";
    }

    private static string Description(RuleContext c, ServiceConfiguration s, Objective objective, BurnWindow[] pairs)
    {
        var o = s.Objectives!;
        var route = o.PerRoute ? $"{{{{ $labels.{L.HttpRoute} }}}} on {s.Display}" : s.Display;
        var objectiveText = objective == Objective.Availability
            ? $"{Number(o.AvailabilityTarget!.Value)}% of requests without a server error (5xx)"
            : $"{Number(o.LatencyTarget!.Value)}% of requests faster than {Latency(o.LatencySeconds)}";
        var windows = string.Join(", or ", pairs.Select(p => $"{Number(Factor(p, o.Window))}x over {c.Window(p.Long)} and {c.Window(p.Short)}"));
        return $"The error budget of {route} ({objectiveText} over {Days(c, o.Window)}) burns {{{{ $value | humanize }}}} times as fast as the objective allows (threshold: {windows}).";
    }

    /// <summary>
    /// The share of the window's budget left, queried when the alert's texts are expanded: 1 minus the window's error
    /// ratio over the budget (negative when it is spent). A service younger than the window is judged over its life.
    /// </summary>
    private static string Remaining(RuleContext c, ServiceConfiguration s, Objective objective)
    {
        var o = s.Objectives!;
        var labels = new List<string> { "job" };
        if (o.PerRoute)
        {
            labels.Add(L.HttpRoute.Name);
        }

        labels.AddRange(c.Configuration.AggregationLabels);
        var matchers = string.Join(", ", labels.Select((l, i) => $"{l}=%[{i + 1}]q"));
        var arguments = string.Join(' ', labels.Select(l => $"$labels.{l}"));
        var window = WindowName(o.Window);
        var own = s.OwnThresholdRoutes.ToList();
        var requestMatchers = objective == Objective.Latency && own.Count > 0
            ? $"{matchers}, {L.HttpRoute}!~{Quote(RouteAlternation(own)).Replace("%", "%%", StringComparison.Ordinal)}"
            : matchers;
        var query = objective == Objective.Availability
            ? $"1 - sum({Errors(window)}{{{requestMatchers}}}) / sum({Requests(window)}{{{requestMatchers}}}) / {Number(Budget(o.AvailabilityTarget!.Value))}"
            : $"1 - (1 - sum({Fast(window)}{{{requestMatchers}, le=\"{Number(o.LatencySeconds)}\"}}) / sum({Requests(window)}{{{requestMatchers}}})) / {Number(Budget(o.LatencyTarget!.Value))}";
        return $"{{{{ with printf `{query}` {arguments} | query }}}}{{{{ . | first | value | humanizePercentage }}}}{{{{ else }}}}unknown{{{{ end }}}} of the {Days(c, o.Window)} budget left";
    }

    /// <summary>An objective window scaled, in days when it is whole days (30d, not 4w2d).</summary>
    private static string Days(RuleContext c, TimeSpan window)
    {
        var scaled = window / c.Configuration.TimeScale;
        return scaled.TotalDays >= 1 && scaled.TotalDays == Math.Floor(scaled.TotalDays)
            ? ((int)scaled.TotalDays).ToString(CultureInfo.InvariantCulture) + "d"
            : PromDuration.Format(scaled);
    }

    private static string Indent(string expression) => expression.Replace("\n", "\n  ", StringComparison.Ordinal);

    /// <summary>
    /// Exact route values as one RE2 alternation. Written by hand because .NET's Regex.Escape also escapes characters
    /// (space, '#') that RE2 does not accept escaped; routes hold '{', '}', ':', '.', '*', '?'.
    /// </summary>
    private static string RouteAlternation(IEnumerable<string> routes)
        => string.Join('|', routes.Select(r => string.Concat(r.Select(ch => @"\.+*?()|[]{}^$".Contains(ch, StringComparison.Ordinal) ? "\\" + ch : ch.ToString()))));

    internal enum Objective
    {
        Availability,
        Latency,
    }
}

/// <summary>A window pair of a burn-rate alert: the long and short window and the share of the budget burnt in the long one.</summary>
internal sealed record BurnWindow(string Long, string Short, double BudgetShare);
