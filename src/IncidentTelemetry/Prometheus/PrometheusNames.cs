using System.Text;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// OpenTelemetry-to-Prometheus name translation, as the OpenTelemetry "Prometheus and OpenMetrics
/// compatibility" specification and its Prometheus exporter do it: invalid characters become <c>_</c>,
/// the UCUM unit becomes a suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>, <c>{request}</c>
/// annotations and <c>1</c> add nothing, <c>X/Y</c> → <c>_X_per_Y</c>), monotonic counters end in
/// <c>_total</c>, and no suffix is ever doubled.
/// </summary>
internal static class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days",
        ["h"] = "hours",
        ["min"] = "minutes",
        ["s"] = "seconds",
        ["ms"] = "milliseconds",
        ["us"] = "microseconds",
        ["ns"] = "nanoseconds",
        ["By"] = "bytes",
        ["KiBy"] = "kibibytes",
        ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes",
        ["TiBy"] = "tibibytes",
        ["KBy"] = "kilobytes",
        ["MBy"] = "megabytes",
        ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes",
        ["m"] = "meters",
        ["V"] = "volts",
        ["A"] = "amperes",
        ["J"] = "joules",
        ["W"] = "watts",
        ["g"] = "grams",
        ["Cel"] = "celsius",
        ["Hz"] = "hertz",
        ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second",
        ["m"] = "minute",
        ["h"] = "hour",
        ["d"] = "day",
        ["w"] = "week",
        ["mo"] = "month",
        ["y"] = "year",
    };

    /// <summary>The Prometheus metric name of an instrument.</summary>
    /// <param name="name">The OpenTelemetry instrument name, for example <c>http.server.request.duration</c>.</param>
    /// <param name="unit">Its UCUM unit, for example <c>s</c>.</param>
    /// <param name="isCounter">Whether it is a monotonic sum (a Prometheus counter).</param>
    public static string MetricName(string name, string? unit, bool isCounter)
    {
        var result = Sanitize(name, allowColon: true);
        var hadTotal = false;
        if (isCounter && result.EndsWith("_total", StringComparison.Ordinal))
        {
            result = result[..^"_total".Length];
            hadTotal = true;
        }

        var suffix = UnitSuffix(unit);
        if (suffix.Length > 0 && !result.EndsWith("_" + suffix, StringComparison.Ordinal) && result != suffix)
        {
            result = result + "_" + suffix;
        }

        if (isCounter || hadTotal)
        {
            result += "_total";
        }

        return result;
    }

    /// <summary>A label name: invalid characters to <c>_</c>, a leading digit prefixed with <c>_</c>.</summary>
    public static string LabelName(string key) => Sanitize(key, allowColon: false);

    /// <summary>The suffix a UCUM unit adds to a name ("" for none).</summary>
    public static string UnitSuffix(string? unit)
    {
        if (string.IsNullOrEmpty(unit) || unit == "1")
        {
            return string.Empty;
        }

        // Annotations in braces carry no unit: "{request}" adds nothing, "{packet}/s" is "per_second".
        var plain = RemoveAnnotations(unit);
        if (plain.Length == 0)
        {
            return string.Empty;
        }

        var slash = plain.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Sanitize(Units.GetValueOrDefault(plain, plain), allowColon: false).Trim('_');
        }

        var numerator = plain[..slash];
        var denominator = plain[(slash + 1)..];
        var left = numerator.Length == 0 ? string.Empty : Units.GetValueOrDefault(numerator, numerator);
        var right = PerUnits.GetValueOrDefault(denominator, Units.GetValueOrDefault(denominator, denominator));
        var combined = left.Length == 0 ? "per_" + right : left + "_per_" + right;
        return Sanitize(combined, allowColon: false).Trim('_');
    }

    private static string RemoveAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var builder = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        var lastUnderscore = false;
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && lastUnderscore)
            {
                continue; // one underscore for a run of invalid characters
            }

            builder.Append(next);
            lastUnderscore = next == '_';
        }

        return builder.ToString();
    }
}
