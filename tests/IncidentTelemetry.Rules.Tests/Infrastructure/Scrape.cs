using System.Globalization;
using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Tests.Definitions;

namespace IncidentTelemetry.Rules.Tests.Infrastructure;

/// <summary>
/// Re-spaces promtool input series as a real scrape would take them. Cases written at one sample a minute are
/// easier to read, but a <c>[1m]</c> window over one-minute samples holds two samples in Prometheus 2 and one in
/// Prometheus 3 (left-open ranges), where <c>rate</c> returns nothing: real scrapes run every 15 to 30 s.
/// </summary>
internal static partial class Scrape
{
    /// <summary>The scrape interval the rule tests use unless they choose their own: 30 s, the slowest the one-minute windows allow.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The same test with its input taken every <paramref name="every"/> (which must divide the test's interval):
    /// between two samples a counter (<c>_total</c>, <c>_bucket</c>, <c>_count</c>, <c>_sum</c>) grows linearly, as it
    /// does between scrapes, and holds across a reset; a gauge holds its value until it changes; a gap stays a gap.
    /// Checks keep their times. A test already spaced at <paramref name="every"/> or closer is returned as is.
    /// </summary>
    public static RuleTest Respaced(RuleTest test, TimeSpan every)
    {
        if (test.Interval <= every)
        {
            return test;
        }

        var factor = test.Interval / every;
        var steps = (int)Math.Round(factor);
        if (Math.Abs(factor - steps) > 1e-9)
        {
            throw new ArgumentException($"{every} does not divide the interval {test.Interval} of '{test.Name}'", nameof(every));
        }

        return test with
        {
            Interval = every,
            Input = [.. test.Input.Select(s => (s.Series, Respace(Expand(s.Values), steps, IsCounter(s.Series))))],
        };
    }

    /// <summary>Every test of a case list re-spaced to <see cref="Interval"/>.</summary>
    public static IEnumerable<RuleTest> Respaced(IEnumerable<RuleTest> tests) => tests.Select(t => Respaced(t, Interval));

    private static bool IsCounter(string series)
    {
        var name = series.Split('{')[0];
        return name.EndsWith("_total", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal)
            || name.EndsWith("_count", StringComparison.Ordinal) || name.EndsWith("_sum", StringComparison.Ordinal);
    }

    private static string Respace(List<double?> values, int steps, bool counter)
    {
        var result = new List<double?>();
        for (var i = 0; i < values.Count; i++)
        {
            result.Add(values[i]);
            if (i == values.Count - 1)
            {
                break;
            }

            for (var j = 1; j < steps; j++)
            {
                var (from, to) = (values[i], values[i + 1]);
                result.Add(counter && from is { } a && to is { } b && b >= a ? a + ((b - a) * j / steps) : from);
            }
        }

        return Series.Values(result);
    }

    /// <summary>promtool's expanding notation: <c>a</c>, <c>_</c>, <c>_xn</c> (n gaps), <c>axn</c> and <c>a+bxn</c> / <c>a-bxn</c> (n + 1 values).</summary>
    internal static List<double?> Expand(string notation)
    {
        var values = new List<double?>();
        foreach (var token in notation.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (token == "_")
            {
                values.Add(null);
                continue;
            }

            if (token.StartsWith("_x", StringComparison.Ordinal))
            {
                values.AddRange(Enumerable.Repeat<double?>(null, int.Parse(token[2..], CultureInfo.InvariantCulture)));
                continue;
            }

            var match = Expanding().Match(token);
            if (!match.Success)
            {
                values.Add(double.Parse(token, CultureInfo.InvariantCulture));
                continue;
            }

            var start = double.Parse(match.Groups["start"].Value, CultureInfo.InvariantCulture);
            var delta = match.Groups["delta"].Success ? double.Parse(match.Groups["delta"].Value, CultureInfo.InvariantCulture) : 0;
            if (match.Groups["op"].Value == "-")
            {
                delta = -delta;
            }

            var count = int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
            for (var k = 0; k <= count; k++)
            {
                values.Add(start + (k * delta));
            }
        }

        return values;
    }

    [GeneratedRegex(@"^(?<start>[-+]?[0-9.]+(?:e[-+]?[0-9]+)?)(?:(?<op>[-+])(?<delta>[0-9.]+(?:e[-+]?[0-9]+)?))?x(?<count>[0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Expanding();
}
