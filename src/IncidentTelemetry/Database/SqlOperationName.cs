using System.Data;

namespace IncidentTelemetry.Database;

/// <summary>
/// The low-cardinality <c>db.operation.name</c>: the first SQL keyword of the command text when it is one of a
/// fixed set, else <c>_OTHER</c>. The command text itself never becomes an attribute.
/// </summary>
internal static class SqlOperationName
{
    public const string Other = "_OTHER";

    private static readonly string[] Keywords =
    [
        "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH", "CALL", "EXEC", "EXECUTE", "REPLACE", "UPSERT",
        "CREATE", "ALTER", "DROP", "TRUNCATE", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "SHOW",
        "EXPLAIN", "ANALYZE", "VACUUM", "PRAGMA", "COPY", "LISTEN", "NOTIFY", "DECLARE", "FETCH", "VALUES", "LOCK", "GRANT", "REVOKE",
    ];

    /// <summary>The operation name for a command; allocation-free.</summary>
    public static string Get(string? commandText, CommandType commandType)
    {
        if (commandType == CommandType.StoredProcedure)
        {
            return "EXECUTE";
        }

        if (commandType == CommandType.TableDirect)
        {
            return "SELECT";
        }

        if (string.IsNullOrEmpty(commandText))
        {
            return Other;
        }

        var text = commandText.AsSpan();
        var i = SkipTrivia(text);
        var start = i;
        while (i < text.Length && char.IsAsciiLetter(text[i]))
        {
            i++;
        }

        var word = text[start..i];
        if (word.IsEmpty || (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '_')))
        {
            return Other;
        }

        foreach (var keyword in Keywords)
        {
            if (word.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return keyword;
            }
        }

        return Other;
    }

    /// <summary>Skips white space, <c>--</c> and <c>/* */</c> comments and opening parentheses.</summary>
    private static int SkipTrivia(ReadOnlySpan<char> text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == '(' || c == ';')
            {
                i++;
            }
            else if (c == '-' && i + 1 < text.Length && text[i + 1] == '-')
            {
                var end = text[i..].IndexOfAny('\n', '\r');
                i = end < 0 ? text.Length : i + end + 1;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                var end = text[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                i = end < 0 ? text.Length : i + 2 + end + 2;
            }
            else
            {
                break;
            }
        }

        return i;
    }
}
