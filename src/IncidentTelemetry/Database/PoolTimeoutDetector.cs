namespace IncidentTelemetry.Database;

/// <summary>
/// Recognises "no connection could be obtained from the pool in time" by exception type name and message,
/// without referencing the providers.
/// </summary>
internal static class PoolTimeoutDetector
{
    /// <summary>True when <paramref name="exception"/> is a provider's pool-exhaustion timeout.</summary>
    public static bool IsPoolTimeout(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var typeName = exception.GetType().FullName;
        var message = exception.Message ?? string.Empty;

        // Npgsql: NpgsqlException("The connection pool has been exhausted, either raise 'Max Pool Size' ...
        // or 'Timeout' ...") with a TimeoutException inside.
        if (typeName == "Npgsql.NpgsqlException")
        {
            return message.Contains("pool has been exhausted", StringComparison.OrdinalIgnoreCase)
                || (exception.InnerException is TimeoutException && message.Contains("pool", StringComparison.OrdinalIgnoreCase));
        }

        // SqlClient (both packages): InvalidOperationException("Timeout expired.  The timeout period elapsed prior
        // to obtaining a connection from the pool. ...").
        if (exception is InvalidOperationException)
        {
            return message.Contains("obtaining a connection from the pool", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }
}
