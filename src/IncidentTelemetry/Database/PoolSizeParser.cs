using System.Data.Common;
using System.Globalization;

namespace IncidentTelemetry.Database;

/// <summary>Reads the configured pool maximum from a connection string, never keeping the string itself.</summary>
internal static class PoolSizeParser
{
    /// <summary>
    /// The value of <c>Max Pool Size</c> (also spelled <c>Maximum Pool Size</c>, <c>MaxPoolSize</c>,
    /// <c>max_pool_size</c>, in any case), else the provider's default; null when pooling is off, the provider
    /// has no pool, or the string cannot be parsed.
    /// </summary>
    public static int? GetMaxPoolSize(string? connectionString, DatabaseProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return provider.DefaultMaxPoolSize;
        }

        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return provider.DefaultMaxPoolSize;
        }

        int? configured = null;
        foreach (var entry in builder.Cast<KeyValuePair<string, object>>())
        {
            var key = Normalize(entry.Key);
            var value = Convert.ToString(entry.Value, CultureInfo.InvariantCulture);
            if (key is "maxpoolsize" or "maximumpoolsize"
                && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var max) && max > 0)
            {
                configured = max;
            }
            else if (key == "pooling" && bool.TryParse(value, out var pooling) && !pooling)
            {
                return null;
            }
        }

        return configured ?? provider.DefaultMaxPoolSize;
    }

    private static string Normalize(string key)
    {
        Span<char> buffer = stackalloc char[Math.Min(key.Length, 64)];
        var length = 0;
        foreach (var c in key)
        {
            if (c is ' ' or '_' or '-')
            {
                continue;
            }

            if (length == buffer.Length)
            {
                break;
            }

            buffer[length++] = char.ToLowerInvariant(c);
        }

        return new string(buffer[..length]);
    }
}
