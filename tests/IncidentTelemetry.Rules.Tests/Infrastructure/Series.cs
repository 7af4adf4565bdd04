using System.Globalization;

namespace IncidentTelemetry.Rules.Tests.Infrastructure;

/// <summary>Input series for promtool tests, written as explicit value lists ("_" for no sample).</summary>
internal static class Series
{
    /// <summary>The bucket boundaries .NET 10 gives http.server.request.duration and the other duration histograms.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 7.5, 10];

    /// <summary>A counter from 0 that grows at each segment's rate (per second) for that many samples.</summary>
    public static string Counter(TimeSpan interval, params (double PerSecond, int Samples)[] segments)
    {
        var values = new List<double?> { 0 };
        double total = 0;
        foreach (var (rate, samples) in segments)
        {
            for (var i = 0; i < samples; i++)
            {
                total += rate * interval.TotalSeconds;
                values.Add(total);
            }
        }

        return Values(values);
    }

    /// <summary>A gauge: each segment's value for that many samples (null: no sample).</summary>
    public static string Gauge(params (double? Value, int Samples)[] segments)
        => Values(segments.SelectMany(s => Enumerable.Repeat(s.Value, s.Samples)));

    /// <summary>
    /// The _bucket, _count and _sum series of a histogram whose observations all fall in the bucket above
    /// <paramref name="lowerBound"/> (so a quantile interpolates inside it), at <paramref name="perSecond"/>.
    /// </summary>
    public static IEnumerable<(string Series, string Values)> Histogram(string name, string labels, double lowerBound, double perSecond, int samples, TimeSpan interval, double sumPerObservation = 0)
    {
        foreach (var le in Buckets.Select(b => b.ToString(CultureInfo.InvariantCulture)).Append("+Inf"))
        {
            var above = le == "+Inf" || double.Parse(le, CultureInfo.InvariantCulture) > lowerBound;
            yield return ($"{name}_bucket{{{labels}, le=\"{le}\"}}", Counter(interval, (above ? perSecond : 0, samples)));
        }

        yield return ($"{name}_count{{{labels}}}", Counter(interval, (perSecond, samples)));
        yield return ($"{name}_sum{{{labels}}}", Counter(interval, (perSecond * sumPerObservation, samples)));
    }

    public static string Values(IEnumerable<double?> values)
        => string.Join(' ', values.Select(v => v is null ? "_" : v.Value.ToString("R", CultureInfo.InvariantCulture)));
}
