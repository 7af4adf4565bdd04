namespace IncidentTelemetry.StackExchangeRedis;

/// <summary>Checks the logical Redis name once, at configuration time: it becomes the label <c>redis_name</c>.</summary>
internal static class RedisNameValidator
{
    public const int MaxLength = 64;

    public static void Validate(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (name.Length > MaxLength || !name.All(static c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.'))
        {
            throw new ArgumentException(
                $"'{name}' cannot be the label redis_name: use at most {MaxLength} characters among a-z, 0-9, '-', '_' and '.', for example \"sessions\" (never a host name or a connection string).",
                parameterName);
        }
    }
}
