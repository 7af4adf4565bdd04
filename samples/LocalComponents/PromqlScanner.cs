namespace LocalComponents;

/// <summary>
/// Finds the metric selectors in a PromQL expression: every identifier that is not a function, aggregation,
/// keyword, number, duration, grouping label or label matcher, with the text of its <c>{...}</c> matchers.
/// Enough PromQL for the bundled rules and dashboards and for what the drills ask their Prometheus; promtool
/// separately proves that an expression parses.
/// </summary>
public static class PromqlScanner
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless",
        "inf", "nan", "Inf", "NaN",

        // Aggregation operators: the grouping clause may come before their parenthesis (sum by (le) (...)).
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
        "limitk", "limit_ratio",
    };

    private static readonly HashSet<string> LabelLists = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right",
    };

    /// <summary>(metric name, matcher text without braces) for every selector, in the order they appear.</summary>
    public static IReadOnlyList<(string Metric, string Matchers)> Selectors(string expr)
    {
        ArgumentNullException.ThrowIfNull(expr);
        var result = new List<(string, string)>();
        var i = 0;
        while (i < expr.Length)
        {
            var c = expr[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expr, i);
            }
            else if (c == '{')
            {
                // A selector without a metric name ({__name__=...}) never occurs in the rules or dashboards.
                i = SkipBalanced(expr, i, '{', '}');
            }
            else if (c == '[')
            {
                i = SkipBalanced(expr, i, '[', ']');
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < expr.Length && char.IsDigit(expr[i + 1])))
            {
                // A number or a duration (offset 1w40m): letters after the digits belong to it.
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] == '.'))
                {
                    i++;
                }
            }
            else if (char.IsLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] is '_' or ':'))
                {
                    i++;
                }

                var word = expr[start..i];
                var next = SkipSpace(expr, i);
                if (LabelLists.Contains(word))
                {
                    if (next < expr.Length && expr[next] == '(')
                    {
                        i = SkipBalanced(expr, next, '(', ')');
                    }
                }
                else if (Keywords.Contains(word) || (next < expr.Length && expr[next] == '('))
                {
                    // A function or aggregation: its arguments are scanned as usual.
                }
                else if (next < expr.Length && expr[next] == '{')
                {
                    var end = SkipBalanced(expr, next, '{', '}');
                    result.Add((word, expr[(next + 1)..(end - 1)]));
                    i = end;
                }
                else
                {
                    result.Add((word, string.Empty));
                }
            }
            else
            {
                i++;
            }
        }

        return result;
    }

    /// <summary>
    /// The distinct metric names an expression selects, in the order they first appear; recording-rule names
    /// (level:metric:operation, with colons) included.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expr)
        => [.. Selectors(expr).Select(s => s.Metric).Distinct(StringComparer.Ordinal)];

    private static int SkipSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipString(string s, int i)
    {
        var quote = s[i++];
        while (i < s.Length && s[i] != quote)
        {
            i += s[i] == '\\' && quote != '`' ? 2 : 1;
        }

        return i + 1;
    }

    /// <summary>Index just after the bracket that closes the one at <paramref name="i"/>.</summary>
    private static int SkipBalanced(string s, int i, char open, char close)
    {
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] is '"' or '\'' or '`')
            {
                i = SkipString(s, i);
                continue;
            }

            if (s[i] == open)
            {
                depth++;
            }
            else if (s[i] == close && --depth == 0)
            {
                return i + 1;
            }

            i++;
        }

        throw new FormatException($"Unbalanced '{open}' in: {s}");
    }
}
