using System.Globalization;
using System.Text;

namespace IncidentTelemetry.AlertSimulation;

/// <summary>
/// One scraped series: a value at each 30 s step from its first scrape to its last (NaN where the scrape had none),
/// written in promtool's input_series notation. A series that ends before the run does gets a staleness marker,
/// as Prometheus writes one when a target (a terminated pod) disappears.
/// </summary>
internal sealed class Series(string selector, bool integer)
{
    private readonly List<double> values = [];

    public string Selector { get; } = selector;

    public int First { get; private set; } = -1;

    public bool Ended { get; private set; }

    public int Count => this.values.Count;

    public void Set(int step, double value)
    {
        if (this.First < 0)
        {
            this.First = step;
        }

        while (this.First + this.values.Count < step)
        {
            this.values.Add(double.NaN);
        }

        this.values.Add(value);
    }

    public void End() => this.Ended = true;

    /// <summary>
    /// promtool's expanding notation: <c>_xN</c> for N missing steps, <c>a+dxN</c> for N+1 values that grow by d
    /// (counters in an idle bucket, constant gauges), else one value per step.
    /// </summary>
    public void WriteValues(StringBuilder output)
    {
        if (this.First > 0)
        {
            output.Append("_x").Append(this.First.ToString(CultureInfo.InvariantCulture)).Append(' ');
        }

        var i = 0;
        while (i < this.values.Count)
        {
            var v = this.values[i];
            if (double.IsNaN(v))
            {
                var j = i;
                while (j < this.values.Count && double.IsNaN(this.values[j]))
                {
                    j++;
                }

                output.Append("_x").Append((j - i).ToString(CultureInfo.InvariantCulture)).Append(' ');
                i = j;
                continue;
            }

            // The longest run from i with one constant delta (exact: counts and constant gauges only).
            var run = 0;
            if (i + 1 < this.values.Count && !double.IsNaN(this.values[i + 1]))
            {
                var delta = this.values[i + 1] - v;
                if (integer || delta == 0)
                {
                    run = 1;
                    while (i + run + 1 < this.values.Count && !double.IsNaN(this.values[i + run + 1])
                        && this.values[i + run + 1] - this.values[i + run] == delta)
                    {
                        run++;
                    }
                }
            }

            if (run >= 2)
            {
                var delta = this.values[i + 1] - v;
                output.Append(Format(v)).Append(delta < 0 ? "-" : "+").Append(Format(Math.Abs(delta)))
                    .Append('x').Append(run.ToString(CultureInfo.InvariantCulture)).Append(' ');
                i += run + 1;
            }
            else
            {
                output.Append(Format(v)).Append(' ');
                i++;
            }
        }

        if (this.Ended)
        {
            output.Append("stale");
        }
    }

    private string Format(double v)
        => integer ? Math.Round(v).ToString("0", CultureInfo.InvariantCulture) : v.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>Every series of one simulation, by selector.</summary>
internal sealed class SeriesSet
{
    private readonly Dictionary<string, Series> series = new(StringComparer.Ordinal);

    public IEnumerable<Series> All => this.series.Values;

    public Series Get(string name, string labels, bool integer = false)
    {
        var selector = name + "{" + labels + "}";
        if (!this.series.TryGetValue(selector, out var s))
        {
            s = new Series(selector, integer);
            this.series.Add(selector, s);
        }

        return s;
    }
}

/// <summary>
/// A histogram as the OpenTelemetry Prometheus exporter writes it: cumulative <c>_bucket</c> series on the library's
/// latency boundaries (src/IncidentTelemetry/Internal/MetricsConstants.cs LatencyBuckets), <c>_count</c> and <c>_sum</c>.
/// </summary>
internal sealed class Histogram
{
    public static readonly double[] Boundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 7.5, 10];

    private readonly Series[] buckets;
    private readonly Series count;
    private readonly Series sum;
    private readonly long[] perBucket = new long[Boundaries.Length + 1];
    private long total;
    private double sumValue;

    public Histogram(SeriesSet set, string name, string labels)
    {
        this.buckets = new Series[Boundaries.Length + 1];
        for (var i = 0; i <= Boundaries.Length; i++)
        {
            var le = i < Boundaries.Length ? Boundaries[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            this.buckets[i] = set.Get(name + "_bucket", labels + ",le=\"" + le + "\"", integer: true);
        }

        this.count = set.Get(name + "_count", labels, integer: true);
        this.sum = set.Get(name + "_sum", labels);
    }

    public void Observe(double seconds)
    {
        var index = Array.BinarySearch(Boundaries, seconds);
        if (index < 0)
        {
            index = ~index;
        }

        this.perBucket[index]++;
        this.total++;
        this.sumValue += seconds;
    }

    /// <summary>Observes <paramref name="n"/> latencies drawn from a log-normal distribution.</summary>
    public void ObserveLogNormal(Random random, long n, double median, double sigma)
    {
        for (long k = 0; k < n; k++)
        {
            this.Observe(median * Math.Exp(sigma * Gaussian(random)));
        }
    }

    public void Scrape(int step)
    {
        long cumulative = 0;
        for (var i = 0; i < this.buckets.Length; i++)
        {
            cumulative += this.perBucket[i];
            this.buckets[i].Set(step, cumulative);
        }

        this.count.Set(step, this.total);
        this.sum.Set(step, Math.Round(this.sumValue, 3));
    }

    public void End()
    {
        foreach (var b in this.buckets)
        {
            b.End();
        }

        this.count.End();
        this.sum.End();
    }

    public static double Gaussian(Random random)
    {
        // Box-Muller: System.Random has no normal draw.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static long Poisson(Random random, double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }

        if (lambda > 30)
        {
            return Math.Max(0, (long)Math.Round(lambda + Math.Sqrt(lambda) * Gaussian(random)));
        }

        // Knuth's method for small means.
        var limit = Math.Exp(-lambda);
        long k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}
