using System.Globalization;
using System.Text;

namespace IncidentTelemetry.Testing;

/// <summary>One sample line of the Prometheus text format: <c>name{label="value",...} 1.5</c>.</summary>
public sealed record ExpositionSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, string Line)
{
    /// <summary>Parses every sample line of a scrape; comments and blank lines are skipped.</summary>
    public static List<ExpositionSample> ParseAll(string text)
    {
        var samples = new List<ExpositionSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            samples.Add(Parse(line));
        }

        return samples;
    }

    private static ExpositionSample Parse(string line)
    {
        var labels = new Dictionary<string, string>();
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var key = line[i..eq];
                i = eq + 2; // skip ="
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
                i++; // closing quote
                if (line[i] == ',')
                {
                    i++;
                }
            }

            i++; // closing brace
        }

        var rest = line[i..].Trim().Split(' ');
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new ExpositionSample(name, labels, number, line);
    }
}
