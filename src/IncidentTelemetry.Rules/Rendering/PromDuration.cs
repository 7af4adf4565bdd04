using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentTelemetry.Rules.Rendering;

/// <summary>Prometheus duration syntax (<c>1w</c>, <c>1h30m</c>, <c>5s250ms</c>): parse and format.</summary>
internal static partial class PromDuration
{
    private static readonly (string Unit, long Milliseconds)[] Units =
    [
        ("w", 7L * 24 * 3600 * 1000),
        ("d", 24L * 3600 * 1000),
        ("h", 3600L * 1000),
        ("m", 60L * 1000),
        ("s", 1000L),
        ("ms", 1L),
    ];

    /// <summary>Parses <paramref name="text"/>; false when it is not a Prometheus duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (text == "0")
        {
            return true;
        }

        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        long total = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var digits = part.Value.TakeWhile(char.IsDigit).Count();
            var number = long.Parse(part.Value[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
            var unit = part.Value[digits..];
            total += number * Units.First(u => u.Unit == unit).Milliseconds;
        }

        value = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>Parses a duration the code itself wrote; throws on a typo.</summary>
    public static TimeSpan Parse(string text)
        => TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a Prometheus duration");

    /// <summary>Formats <paramref name="value"/> (rounded to milliseconds) with the largest units first, like Prometheus.</summary>
    public static string Format(TimeSpan value)
    {
        var remaining = (long)Math.Round(value.TotalMilliseconds, MidpointRounding.AwayFromZero);
        if (remaining <= 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        foreach (var (unit, ms) in Units)
        {
            if (remaining >= ms)
            {
                text.Append(CultureInfo.InvariantCulture, $"{remaining / ms}{unit}");
                remaining %= ms;
            }
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^(?<part>\d+(ms|w|d|h|m|s))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
