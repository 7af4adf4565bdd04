namespace IncidentTelemetry.Database;

/// <summary>Checks the pool name once, at configuration time, so that a bad name fails at startup.</summary>
internal static class PoolNameValidator
{
    public const int MaxLength = 128;

    public static void Validate(string poolName, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(poolName, parameterName);
        if (poolName.Length > MaxLength)
        {
            throw new ArgumentException($"The connection pool name must be at most {MaxLength} characters; it becomes the label db_client_connection_pool_name.", parameterName);
        }

        // A connection string here would put host, user or password into every series.
        if (poolName.Contains('=', StringComparison.Ordinal) || poolName.Contains(';', StringComparison.Ordinal))
        {
            throw new ArgumentException("The connection pool name must be a short name such as \"payments-db\", not a connection string.", parameterName);
        }
    }
}
