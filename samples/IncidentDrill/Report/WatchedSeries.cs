using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentDrill.Report;

/// <summary>
/// What an alert's expression watches, for its chart: the left side of its top-level comparison (the
/// series), the operator, and the right side (the threshold: a number, or a series such as
/// <c>3 * baseline</c> or a memory limit). Guard clauses joined with <c>and</c>/<c>unless</c> (traffic
/// floors, for example) and every branch of a top-level <c>or</c> but the first are left out.
/// </summary>
internal sealed partial record WatchedSeries(string Left, string? Operator, string? Right)
{
    private static readonly string[] Comparisons = ["==", "!=", ">=", "<=", ">", "<"];

    /// <summary>The threshold when the right side is a number; null when it is a series or there is no comparison.</summary>
    public double? Scalar => this.Right is not null && double.TryParse(this.Right, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>Splits an alert expression as loaded in Prometheus.</summary>
    public static WatchedSeries Of(string expression)
    {
        var current = StripParentheses(expression);
        while (true)
        {
            // Lowest precedence first: "a and b or c" is "(a and b) or c".
            var next = StripParentheses(FirstOperand(current, "or"));
            next = StripParentheses(FirstOperand(next, "and", "unless"));
            if (next == current)
            {
                break;
            }

            current = next;
        }

        foreach (var (index, op) in TopLevel(current))
        {
            if (op is not null && Comparisons.Contains(op))
            {
                var left = current[..index].Trim();
                var right = Modifiers().Replace(current[(index + op.Length)..], string.Empty).Trim();
                return new WatchedSeries(StripParentheses(left), op, StripParentheses(right));
            }
        }

        return new WatchedSeries(current, null, null);
    }

    /// <summary>The text before the first top-level occurrence of one of the keywords, or all of it.</summary>
    private static string FirstOperand(string expression, params string[] keywords)
    {
        foreach (var (index, token) in TopLevel(expression))
        {
            if (token is not null && keywords.Contains(token))
            {
                return expression[..index].Trim();
            }
        }

        return expression;
    }

    /// <summary>
    /// The operators and keywords outside parentheses, brackets, braces and strings, with their positions.
    /// </summary>
    private static IEnumerable<(int Index, string? Token)> TopLevel(string expression)
    {
        var depth = 0;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            switch (c)
            {
                case '"' or '\'' or '`':
                    i = expression.IndexOf(c, i + 1) is var end and >= 0 ? end : expression.Length;
                    continue;
                case '(' or '[' or '{':
                    depth++;
                    continue;
                case ')' or ']' or '}':
                    depth--;
                    continue;
            }

            if (depth != 0)
            {
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < expression.Length && (char.IsLetterOrDigit(expression[i]) || expression[i] is '_' or ':'))
                {
                    i++;
                }

                var word = expression[start..i];
                i--;
                if (word is "and" or "or" or "unless")
                {
                    yield return (start, word);
                }

                continue;
            }

            foreach (var op in Comparisons)
            {
                if (string.CompareOrdinal(expression, i, op, 0, op.Length) == 0)
                {
                    yield return (i, op);
                    i += op.Length - 1;
                    break;
                }
            }
        }
    }

    /// <summary>Removes parentheses around the whole expression (not those of <c>(a) / (b)</c>).</summary>
    private static string StripParentheses(string expression)
    {
        var text = expression.Trim();
        while (text.Length > 1 && text[0] == '(' && Closing(text, 0) == text.Length - 1)
        {
            text = text[1..^1].Trim();
        }

        return text;
    }

    private static int Closing(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '"' or '\'' or '`':
                    i = text.IndexOf(text[i], i + 1) is var end and >= 0 ? end : text.Length;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    [GeneratedRegex(@"^\s*(?:(?:bool|on|ignoring|group_left|group_right)\b\s*(?:\([^)]*\))?\s*)*")]
    private static partial Regex Modifiers();
}
