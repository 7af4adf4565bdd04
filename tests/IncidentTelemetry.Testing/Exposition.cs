using System.Globalization;

namespace IncidentTelemetry.Testing;

/// <summary>Reads histograms out of a real <c>/metrics</c> scrape, the way Prometheus would.</summary>
public static class Exposition
{
    /// <summary>Every sample line of a scrape, label values unescaped.</summary>
    public static IReadOnlyList<ExpositionSample> Samples(string text) => ExpositionSample.ParseAll(text);

    /// <summary>The sum of the values of <paramref name="name"/> whose labels include every pair in <paramref name="match"/>.</summary>
    public static double Sum(IReadOnlyList<ExpositionSample> samples, string name, params (string Label, string Value)[] match)
        => samples.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Label, out var v) && v == m.Value)).Sum(s => s.Value);

    /// <summary>How many distinct series (name and labels) carry <paramref name="name"/>.</summary>
    public static int SeriesCount(IReadOnlyList<ExpositionSample> samples, string name)
        => samples.Count(s => s.Name == name);

    /// <summary>The cumulative bucket counts (upper bound → count) of the histogram series matching <paramref name="labels"/>, summed over the rest.</summary>
    public static SortedDictionary<double, double> Buckets(string text, string histogram, params (string Key, string Value)[] labels)
    {
        var buckets = new SortedDictionary<double, double>();
        foreach (var sample in ExpositionSample.ParseAll(text))
        {
            if (sample.Name != histogram + "_bucket" || !labels.All(l => sample.Labels.TryGetValue(l.Key, out var v) && v == l.Value))
            {
                continue;
            }

            var le = sample.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(sample.Labels["le"], CultureInfo.InvariantCulture);
            buckets[le] = buckets.GetValueOrDefault(le) + sample.Value;
        }

        return buckets;
    }

    /// <summary>
    /// The φ-quantile of cumulative buckets with Prometheus's <c>histogram_quantile</c> rule: find the bucket the rank falls
    /// in and interpolate linearly inside it (the highest finite bound when the rank is in +Inf).
    /// </summary>
    public static double Quantile(double phi, SortedDictionary<double, double> buckets)
    {
        var total = buckets.GetValueOrDefault(double.PositiveInfinity);
        if (total <= 0)
        {
            return double.NaN;
        }

        var rank = phi * total;
        var lowerBound = 0.0;
        var lowerCount = 0.0;
        foreach (var (bound, count) in buckets)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(bound))
                {
                    return lowerBound;
                }

                return lowerBound + ((bound - lowerBound) * ((rank - lowerCount) / (count - lowerCount)));
            }

            lowerBound = bound;
            lowerCount = count;
        }

        return lowerBound;
    }

    /// <summary>Every label name on the samples of a metric family (its _bucket, _sum, _count or _total lines).</summary>
    public static HashSet<string> LabelNames(string text, string family)
        => [.. ExpositionSample.ParseAll(text)
            .Where(s => s.Name == family || (s.Name.StartsWith(family, StringComparison.Ordinal) && s.Name[family.Length..] is "_bucket" or "_sum" or "_count" or "_total"))
            .SelectMany(s => s.Labels.Keys)];
}
