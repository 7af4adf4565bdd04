using System.Text.RegularExpressions;

namespace IncidentTelemetry.Dashboards;

/// <summary>
/// Replaces Grafana template variables in a query the way Grafana does before it sends the query to
/// Prometheus, with "All" chosen for every multi-select variable.
/// </summary>
internal static partial class QuerySubstitution
{
    /// <summary>Grafana's built-in interval variables, with the values of a 1 h range at a 1 m step and 15 s scrapes.</summary>
    public static readonly IReadOnlyDictionary<string, string> BuiltIns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["__rate_interval"] = "1m",
        ["__interval"] = "1m",
        ["__interval_ms"] = "60000",
        ["__range"] = "1h",
        ["__range_s"] = "3600",
        ["__range_ms"] = "3600000",
    };

    /// <summary>Every <c>$name</c>, <c>${name}</c> and <c>${name:format}</c> in <paramref name="query"/>.</summary>
    public static IEnumerable<string> VariablesIn(string query) => VariablePattern().Matches(query).Select(m => Name(m));

    /// <summary>
    /// Substitutes built-ins with <see cref="BuiltIns"/> and every other variable with <paramref name="allValue"/>
    /// (the "All" value, a regex). A name that is neither is left as it is, so the result fails to parse.
    /// </summary>
    public static string Apply(string query, Func<string, string?> allValue) =>
        VariablePattern().Replace(query, m =>
        {
            var name = Name(m);
            return BuiltIns.TryGetValue(name, out var builtIn) ? builtIn : allValue(name) ?? m.Value;
        });

    /// <summary>The selector inside <c>label_values(selector, label)</c>, or null for another kind of query.</summary>
    public static string? LabelValuesSelector(string query)
    {
        var m = LabelValuesPattern().Match(query);
        return m.Success ? m.Groups["selector"].Value.Trim() : null;
    }

    private static string Name(Match m) => m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;

    [GeneratedRegex(@"\$(?:\{(?<braced>\w+)(?::[\w]+)?\}|(?<plain>\w+))")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^\s*label_values\((?<selector>.+),\s*(?<label>\w+)\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValuesPattern();
}
