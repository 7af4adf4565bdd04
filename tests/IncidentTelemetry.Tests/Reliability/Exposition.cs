using System.Globalization;
using System.Text;

namespace IncidentTelemetry.Tests.Reliability;

/// <summary>One sample line of a Prometheus text exposition: name, labels (unescaped) and value.</summary>
internal sealed record ExpositionSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads the sample lines of an exposition, undoing the label-value escapes (\\, \", \n).</summary>
internal static class Exposition
{
    public static IReadOnlyList<ExpositionSample> Samples(string text)
    {
        var samples = new List<ExpositionSample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(ParseLine(line));
        }

        return samples;
    }

    /// <summary>The sum of the values of <paramref name="name"/> whose labels include every pair in <paramref name="match"/>.</summary>
    public static double Sum(IReadOnlyList<ExpositionSample> samples, string name, params (string Label, string Value)[] match)
        => samples.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Label, out var v) && v == m.Value)).Sum(s => s.Value);

    /// <summary>How many distinct series (name and labels) carry <paramref name="name"/>.</summary>
    public static int SeriesCount(IReadOnlyList<ExpositionSample> samples, string name)
        => samples.Count(s => s.Name == name);

    private static ExpositionSample ParseLine(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (brace < 0 || (space >= 0 && space < brace))
        {
            return new ExpositionSample(line[..space], labels, ParseValue(line[(space + 1)..]));
        }

        var name = line[..brace];
        var i = brace + 1;
        while (line[i] != '}')
        {
            var equals = line.IndexOf('=', i);
            var key = line[i..equals];
            i = equals + 2; // past ="
            var value = new StringBuilder();
            while (line[i] != '"')
            {
                if (line[i] == '\\')
                {
                    i++;
                    value.Append(line[i] == 'n' ? '\n' : line[i]);
                }
                else
                {
                    value.Append(line[i]);
                }

                i++;
            }

            labels[key] = value.ToString();
            i++; // past the closing quote
            if (line[i] == ',')
            {
                i++;
            }
        }

        return new ExpositionSample(name, labels, ParseValue(line[(i + 2)..]));
    }

    private static double ParseValue(string text)
    {
        var value = text.Split(' ')[0];
        return value switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }
}
