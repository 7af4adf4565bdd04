using System.Reflection;
using System.Text.RegularExpressions;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Rules;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace IncidentTelemetry.Tests.Catalogue;

/// <summary>
/// No metric, label or alert name is written as a string literal in src/ outside its one owner: the catalogue
/// (src/Shared/Telemetry) for metric families, instruments, attributes and labels, and AlertName for alert names.
/// Every string literal, interpolated-string text and raw string of every C# file is parsed (Roslyn) and cut into
/// name-like words; a word equal to a catalogued name is a finding.
/// </summary>
/// <remarks>
/// Label names that are ordinary words (<c>job</c>, <c>instance</c>, <c>le</c>, <c>role</c>, <c>service</c>, ...) are
/// left out: they occur in prose and in template-variable names with other meanings, and cannot be told apart by
/// reading. Metric names without an underscore (<c>up</c>, <c>ALERTS</c>) count only as a whole literal.
/// </remarks>
public sealed partial class NameLiteralTests
{
    /// <summary>Files and folders (relative to src/, '/'-separated) that may spell names, each with its reason.</summary>
    private static readonly Dictionary<string, string> Owners = new(StringComparer.Ordinal)
    {
        ["Shared/Telemetry/"] = "the catalogue itself: every name is spelled here once",
        ["IncidentTelemetry.Rules/AlertName.cs"] = "the one owner of the alert names (public API)",
    };

    /// <summary>
    /// Files whose literals may be whole recording-rule names (<c>level:metric:operations</c>), with the reason. A
    /// recording rule's name is its own output, defined once as a constant there, and it spells the family it is
    /// derived from (<c>job_le:http_server_request_duration_seconds_bucket:rate1m</c>); the expressions in the same
    /// file are still checked.
    /// </summary>
    private static readonly Dictionary<string, string> RecordingRuleOwners = new(StringComparer.Ordinal)
    {
        ["IncidentTelemetry.Rules/Definitions/Recorded.cs"] = "the one owner of the recording-rule names the alerts read",
    };

    /// <summary>Single findings outside this change's files, each with its reason; the lead removes them after merging.</summary>
    private static readonly Dictionary<(string File, string Name), string> Pending = new();

    [Fact]
    public void Src_StringLiterals_NameNoMetricLabelOrAlertOutsideTheirOwner()
    {
        var names = CataloguedNames();
        var findings = new List<string>();
        var scanned = 0;
        var pendingSeen = new HashSet<(string, string)>();
        var recordingNamesSeen = 0;
        foreach (var path in Directory.EnumerateFiles(Repository.File("src"), "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Repository.File("src"), path).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "obj" or "bin") || Owners.Keys.Any(o => relative == o || (o.EndsWith('/') && relative.StartsWith(o, StringComparison.Ordinal))))
            {
                continue;
            }

            scanned++;
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview));
            foreach (var token in tree.GetRoot().DescendantTokens())
            {
                if (!IsStringText(token))
                {
                    continue;
                }

                var text = token.ValueText;
                if (RecordingRuleOwners.ContainsKey(relative) && RecordingRuleName().IsMatch(text))
                {
                    recordingNamesSeen++;
                    continue;
                }

                foreach (var word in Word().Matches(text).Select(m => m.Value))
                {
                    var hit = names.Distinctive.Contains(word) || (names.WholeOnly.Contains(word) && text == word);
                    if (!hit)
                    {
                        continue;
                    }

                    if (Pending.ContainsKey((relative, word)))
                    {
                        pendingSeen.Add((relative, word));
                        continue;
                    }

                    var line = token.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    findings.Add($"src/{relative}:{line}: \"{word}\"");
                }
            }
        }

        Assert.True(scanned > 50, $"only {scanned} files scanned");
        Assert.True(findings.Count == 0, "names written outside the catalogue (use IncidentTelemetry.Catalogue or AlertName):\n" + string.Join('\n', findings));

        // An exemption that no longer matches anything must go.
        Assert.True(recordingNamesSeen > 0, "no recording-rule name found in " + string.Join(", ", RecordingRuleOwners.Keys));
        Assert.Equal(Pending.Keys.Order(), pendingSeen.Order());
    }

    [Fact]
    public void Scanner_LiteralsInterpolationsAndRawStrings_FindsNamesButNotCommentsOrIdentifiers()
    {
        const string Source = """
            // db_client_connection_count in a comment is fine
            class C
            {
                string a = "sum(db_client_connection_count)";
                string b = $"{x} by (db_client_connection_pool_name)";
                string c = \"\"\"ConnectionPoolTimeouts\"\"\";
                string up = "up";
                string prose = "is it up?";
                string db_client_connection_max = "fine";
            }
            """;
        var names = CataloguedNames();
        var tree = CSharpSyntaxTree.ParseText(Source.Replace("\\\"", "\"", StringComparison.Ordinal));

        var found = tree.GetRoot().DescendantTokens().Where(IsStringText)
            .SelectMany(t => Word().Matches(t.ValueText).Select(m => m.Value).Where(w => names.Distinctive.Contains(w) || (names.WholeOnly.Contains(w) && t.ValueText == w)))
            .ToList();

        Assert.Equal(["db_client_connection_count", "db_client_connection_pool_name", "ConnectionPoolTimeouts", "up"], found);
    }

    private static bool IsStringText(SyntaxToken token) => token.Kind() is SyntaxKind.StringLiteralToken
        or SyntaxKind.InterpolatedStringTextToken
        or SyntaxKind.SingleLineRawStringLiteralToken
        or SyntaxKind.MultiLineRawStringLiteralToken
        or SyntaxKind.Utf8StringLiteralToken
        or SyntaxKind.Utf8SingleLineRawStringLiteralToken
        or SyntaxKind.Utf8MultiLineRawStringLiteralToken;

    private static (HashSet<string> Distinctive, HashSet<string> WholeOnly) CataloguedNames()
    {
        var distinctive = new HashSet<string>(StringComparer.Ordinal);
        var wholeOnly = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in MetricCatalogue.All)
        {
            foreach (var name in family.SeriesNames.Append(family.Name))
            {
                (name.Contains('_', StringComparison.Ordinal) ? distinctive : wholeOnly).Add(name);
            }

            if (family.Instrument is not null)
            {
                distinctive.Add(family.Instrument);
            }

            foreach (var label in family.Labels)
            {
                if (label.Name.Contains('_', StringComparison.Ordinal))
                {
                    distinctive.Add(label.Name);
                }

                if (label.Attribute is not null)
                {
                    distinctive.Add(label.Attribute);
                }
            }
        }

        foreach (var field in typeof(AlertName).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            distinctive.Add((string)field.GetRawConstantValue()!);
        }

        return (distinctive, wholeOnly);
    }

    // A whole literal that is a recording-rule name: level:metric:operations (Prometheus' naming convention).
    [GeneratedRegex(@"^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$")]
    private static partial Regex RecordingRuleName();

    // Words as names are written: letters, digits, '_' and '.' inside (db.client.connection.count), not at the end.
    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_.]*[A-Za-z0-9_]")]
    private static partial Regex Word();
}
