using System.Text;
using StackExchange.Redis;

namespace IncidentTelemetry.StackExchangeRedis;

/// <summary>
/// The value of <c>error.type</c> for a connection failure: the <see cref="ConnectionFailureType"/> in snake_case
/// (<c>socket_failure</c>, <c>unable_to_connect</c>), computed once per value so that an event allocates nothing.
/// A value this version does not know becomes <c>_OTHER</c>, keeping the label bounded.
/// </summary>
internal static class FailureTypeNames
{
    public const string Other = "_OTHER";

    private static readonly Dictionary<ConnectionFailureType, string> Names =
        Enum.GetValues<ConnectionFailureType>().Distinct().ToDictionary(static t => t, static t => ToSnakeCase(t.ToString()));

    public static string Get(ConnectionFailureType type) => Names.TryGetValue(type, out var name) ? name : Other;

    /// <summary>The failure type of an exception from the client, else <c>_OTHER</c>.</summary>
    public static string Get(Exception? exception) => exception is RedisConnectionException connection ? Get(connection.FailureType) : Other;

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
