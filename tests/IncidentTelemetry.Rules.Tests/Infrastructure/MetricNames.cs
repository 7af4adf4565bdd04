using System.Text.RegularExpressions;

namespace IncidentTelemetry.Rules.Tests.Infrastructure;

/// <summary>
/// The metric names a PromQL expression selects: identifiers left after strings, label matchers, ranges, offsets
/// and grouping clauses are removed, that are not functions, keywords or recorded series (which contain ':').
/// </summary>
internal static partial class MetricNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan",
    };

    public static IEnumerable<string> In(string expr)
    {
        var text = Strings().Replace(expr, "\"\"");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Offsets().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        foreach (Match m in Identifiers().Matches(text))
        {
            var word = m.Groups["word"].Value;
            if (m.Groups["call"].Success || Keywords.Contains(word) || word.Contains(':', StringComparison.Ordinal))
            {
                continue;
            }

            yield return word;
        }
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\boffset\s+[0-9a-z]+")]
    private static partial Regex Offsets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![0-9.])\b(?<word>[a-zA-Z_][a-zA-Z0-9_:]*)\b(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
