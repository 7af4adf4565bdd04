using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;

namespace IncidentDrill.Report;

/// <summary>When an alert was pending or firing, in seconds since the incident began.</summary>
internal sealed record AlertInterval(string State, double From, double To);

/// <summary>What one chart shows and where its data came from.</summary>
/// <param name="File">The PNG, relative to the report.</param>
/// <param name="Query">The series drawn: the left side of the loaded rule's comparison, as sent to query_range.</param>
/// <param name="Points">How many points query_range returned (over all series), all of them drawn.</param>
/// <param name="PlottedMax">The largest value drawn, read back from the chart's own data.</param>
/// <param name="RawFile">Prometheus's answer to that query_range, verbatim, relative to the report.</param>
/// <param name="DrawnThreshold">The threshold line's value, read back from the chart; null when the right side is a series.</param>
/// <param name="ThresholdQuery">The right side when it is a series, drawn as a second line.</param>
internal sealed record ChartRecord(
    string File,
    int Width,
    int Height,
    string Query,
    double Start,
    double End,
    double Step,
    int Series,
    int Points,
    double? PlottedMax,
    string RawFile,
    double? DrawnThreshold,
    string? ThresholdQuery,
    int ThresholdPoints);

/// <summary>
/// One chart per expected alert, from the drill's own Prometheus: the series the alert watches, its
/// threshold as a line, the moment the incident began, and the alert's pending and firing intervals shaded.
/// </summary>
internal static class AlertChart
{
    public const int Width = 900;
    public const int Height = 340;

    private const double Mebibyte = 1024 * 1024;

    /// <summary>At most this many series per chart (the largest); more would be unreadable.</summary>
    private const int MaxSeries = 6;

    /// <summary>The series' colours: none of them the threshold's red or the pending amber.</summary>
    private static readonly Color[] SeriesColours = [.. new[] { "#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#8c564b", "#7f7f7f" }.Select(Color.FromHex)];

    private static readonly Color Pending = Color.FromHex("#f2a900");
    private static readonly Color Firing = Color.FromHex("#d62728");

    public static async Task<ChartRecord> DrawAsync(
        PrometheusApi prometheus,
        string alert,
        WatchedSeries watched,
        IReadOnlyList<AlertInterval> intervals,
        DateTimeOffset from,
        DateTimeOffset incidentAt,
        DateTimeOffset to,
        string directory,
        string fileStem,
        CancellationToken token)
    {
        var step = TimeSpan.FromSeconds(1);
        var (series, raw) = await prometheus.RangeAsync(watched.Left, from, to, step, token);
        var rawFile = fileStem + ".json";
        await File.WriteAllTextAsync(Path.Combine(directory, rawFile), raw, token);
        var zero = incidentAt.ToUnixTimeMilliseconds() / 1000.0;

        var plot = new Plot();
        plot.Title(alert);
        plot.XLabel("seconds since the incident began");

        foreach (var interval in intervals)
        {
            // Each sample stands for one evaluation (1 s): the span covers it, so a state seen once still shows.
            var span = plot.Add.HorizontalSpan(interval.From - 0.5, interval.To + 0.5);
            span.FillStyle.Color = (interval.State == "firing" ? Firing : Pending).WithAlpha(0.22);
            span.LineStyle.Width = 0;
        }

        // Bytes in MiB (a power of two, so the values read back are exactly Prometheus's).
        var largest = series.SelectMany(s => s.Points).Select(p => p.Value).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        var unit = watched.Left.Contains("_bytes", StringComparison.Ordinal) && largest > 16 * Mebibyte ? Mebibyte : 1;
        if (unit != 1)
        {
            plot.YLabel("MiB");
        }

        var drawn = series.OrderByDescending(s => s.Points.Count == 0 ? double.MinValue : s.Points.Max(p => p.Value)).Take(MaxSeries).ToList();
        var varying = Varying(drawn);
        double? plottedMax = null;
        foreach (var (s, i) in drawn.Select((s, i) => (s, i)))
        {
            var points = s.Points.Where(p => double.IsFinite(p.Value)).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var scatter = plot.Add.ScatterLine(points.Select(p => p.Time - zero).ToArray(), points.Select(p => p.Value / unit).ToArray(), SeriesColours[i % SeriesColours.Length]);
            scatter.LineWidth = 2;
            scatter.LegendText = Legend(s.Labels, varying, watched.Left);
            var max = scatter.Data.GetScatterPoints().Max(c => c.Y) * unit;
            plottedMax = plottedMax is { } m ? Math.Max(m, max) : max;
        }

        double? drawnThreshold = null;
        string? thresholdQuery = null;
        var thresholdPoints = 0;
        var thresholdMax = double.MinValue;
        if (watched.Scalar is { } threshold)
        {
            var line = plot.Add.HorizontalLine(threshold / unit, 2, Firing, LinePattern.Dashed);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"threshold {watched.Operator} {threshold}");
            drawnThreshold = line.Y * unit;
            thresholdMax = threshold;
        }
        else if (watched.Right is { } right)
        {
            thresholdQuery = right;
            var (thresholdSeries, _) = await prometheus.RangeAsync(right, from, to, step, token);
            foreach (var s in thresholdSeries.Take(MaxSeries))
            {
                var points = s.Points.Where(p => double.IsFinite(p.Value)).ToList();
                thresholdPoints += points.Count;
                if (points.Count == 0)
                {
                    continue;
                }

                var scatter = plot.Add.ScatterLine(points.Select(p => p.Time - zero).ToArray(), points.Select(p => p.Value / unit).ToArray(), Firing);
                scatter.LinePattern = LinePattern.Dashed;
                scatter.LineWidth = 2;
                scatter.LegendText = $"threshold {watched.Operator} {Shorten(right, 40)}";
                thresholdMax = Math.Max(thresholdMax, points.Max(p => p.Value));
            }
        }

        var incident = plot.Add.VerticalLine(0, 1.5f, Colors.Black, LinePattern.Dotted);
        incident.LegendText = "incident began";
        AddStateLegend(plot, intervals);
        plot.ShowLegend(Edge.Right);
        plot.Axes.SetLimitsX(from.ToUnixTimeMilliseconds() / 1000.0 - zero, to.ToUnixTimeMilliseconds() / 1000.0 - zero + 1);
        var top = Math.Max(plottedMax ?? 0, thresholdMax);
        var bottom = Math.Min(0, drawn.SelectMany(s => s.Points).Where(p => double.IsFinite(p.Value)).Select(p => p.Value).DefaultIfEmpty(0).Min());
        plot.Axes.SetLimitsY(bottom / unit, top > 0 ? top * 1.1 / unit : 1);

        var file = fileStem + ".png";
        plot.SavePng(Path.Combine(directory, file), Width, Height);
        return new ChartRecord(
            file, Width, Height, watched.Left,
            from.ToUnixTimeMilliseconds() / 1000.0, to.ToUnixTimeMilliseconds() / 1000.0, step.TotalSeconds,
            series.Count, series.Sum(s => s.Points.Count), plottedMax, rawFile, drawnThreshold, thresholdQuery, thresholdPoints);
    }

    /// <summary>
    /// The alert's pending and firing intervals from Prometheus's own <c>ALERTS</c> series (all instances
    /// of the alert for the service together), in seconds since the incident began.
    /// </summary>
    public static async Task<IReadOnlyList<AlertInterval>> IntervalsAsync(PrometheusApi prometheus, string alert, string service, DateTimeOffset from, DateTimeOffset incidentAt, DateTimeOffset to, CancellationToken token)
    {
        var step = TimeSpan.FromSeconds(1);
        var (series, _) = await prometheus.RangeAsync($"ALERTS{{alertname=\"{alert}\", service=\"{service}\"}}", from, to, step, token);
        var zero = incidentAt.ToUnixTimeMilliseconds() / 1000.0;
        return Intervals(series, zero, step.TotalSeconds);
    }

    public static IReadOnlyList<AlertInterval> Intervals(IReadOnlyList<RangeSeries> alerts, double zero, double step)
    {
        var intervals = new List<AlertInterval>();
        foreach (var state in new[] { "pending", "firing" })
        {
            var times = alerts.Where(s => s.Labels.GetValueOrDefault("alertstate") == state).SelectMany(s => s.Points.Select(p => p.Time)).Distinct().Order().ToList();
            for (var i = 0; i < times.Count;)
            {
                var j = i;
                while (j + 1 < times.Count && times[j + 1] - times[j] <= step * 1.5)
                {
                    j++;
                }

                intervals.Add(new AlertInterval(state, times[i] - zero, times[j] - zero));
                i = j + 1;
            }
        }

        return [.. intervals.OrderBy(i => i.From)];
    }

    private static void AddStateLegend(Plot plot, IReadOnlyList<AlertInterval> intervals)
    {
        foreach (var (state, color) in new[] { ("pending", Pending), ("firing", Firing) })
        {
            if (intervals.Any(i => i.State == state))
            {
                plot.Legend.ManualItems.Add(new LegendItem { LabelText = state, FillColor = color.WithAlpha(0.35), LineWidth = 0 });
            }
        }
    }

    /// <summary>The labels whose values differ between the drawn series (those tell them apart).</summary>
    private static List<string> Varying(IReadOnlyList<RangeSeries> series)
        => [.. series.SelectMany(s => s.Labels.Keys).Distinct(StringComparer.Ordinal)
            .Where(k => series.Select(s => s.Labels.GetValueOrDefault(k)).Distinct(StringComparer.Ordinal).Count() > 1)
            .Order(StringComparer.Ordinal)];

    private static string Legend(IReadOnlyDictionary<string, string> labels, List<string> varying, string query)
    {
        var parts = varying.Select(k => $"{k}={labels.GetValueOrDefault(k, string.Empty)}").ToList();
        return parts.Count > 0 ? Shorten(string.Join(", ", parts), 60) : Shorten(labels.GetValueOrDefault("job") ?? query, 60);
    }

    private static string Shorten(string text, int max)
    {
        var oneLine = string.Join(' ', text.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)] + "…";
    }
}
