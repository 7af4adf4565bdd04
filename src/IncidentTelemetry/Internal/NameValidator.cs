namespace IncidentTelemetry.Internal;

/// <summary>
/// Checks, once at configuration time, a name the app gives that becomes an attribute value (a cache name, a login
/// method), so that a bad name fails at startup and the label stays short, stable and free of secrets.
/// </summary>
internal static class NameValidator
{
    public const int MaxLength = 64;

    /// <summary>Throws when <paramref name="value"/> is not a short token of lower-case letters, digits, '-', '_' or '.'.</summary>
    /// <param name="value">The name.</param>
    /// <param name="parameterName">The parameter the name came from.</param>
    /// <param name="label">The Prometheus label the name becomes, for the message.</param>
    public static void Validate(string value, string parameterName, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, parameterName);
        if (!IsValid(value))
        {
            throw new ArgumentException(
                $"'{value}' cannot be the label {label}: use at most {MaxLength} characters among a-z, 0-9, '-', '_' and '.', for example \"sessions\" or \"password\".",
                parameterName);
        }
    }

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
