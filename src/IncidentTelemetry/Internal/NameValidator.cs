namespace IncidentTelemetry.Internal;

/// <summary>
/// The one rule for every name the app gives that becomes a label value (a pool name, a cache name, a login method,
/// a Redis name, an HttpClient name as <c>peer.service</c>): 1 to <see cref="MaxLength"/> characters among
/// <c>a-z</c>, <c>A-Z</c>, <c>0-9</c>, '-', '_' and '.'. Such a name is short, stable, the same in PromQL as in code, and
/// cannot be a host with a port, a connection string, a URL or an e-mail address. Upper case is allowed because a typed
/// HttpClient's default name is its type name (<c>InventoryClient</c>), which must keep its <c>peer.service</c>. docs/configuration.md ("Names") documents the rule.
/// </summary>
/// <remarks>
/// Checked once, when the name is given, so that a bad name fails at startup naming the parameter and the value.
/// The companion package IncidentTelemetry.StackExchangeRedis compiles this same file (a linked source), so the rule
/// has one implementation.
/// </remarks>
internal static class NameValidator
{
    public const int MaxLength = 64;

    /// <summary>Throws when <paramref name="value"/> does not follow the rule.</summary>
    /// <param name="value">The name.</param>
    /// <param name="parameterName">The parameter (or configuration key) the name came from.</param>
    /// <param name="attribute">The attribute the name becomes (a <see cref="MetricsConstants"/> name); the message gives its Prometheus label.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty or does not follow the rule.</exception>
    public static void Validate(string value, string parameterName, string attribute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"'{value}' cannot be the label {attribute.Replace('.', '_')}: use 1 to {MaxLength} characters among a-z, A-Z, 0-9, '-', '_' and '.', " +
                "for example \"sessions\" or \"payments-db\" (never a host name, a connection string or an e-mail address).",
                parameterName);
        }
    }

    /// <summary>Whether <paramref name="value"/> follows the rule.</summary>
    /// <param name="value">The name, or null.</param>
    /// <returns>True when the name may become a label value.</returns>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
