using IncidentTelemetry.StackExchangeRedis;
using StackExchange.Redis;

namespace IncidentTelemetry;

/// <summary>Adds the app's own view of Redis to a StackExchange.Redis multiplexer the app holds.</summary>
public static class ConnectionMultiplexerTelemetryExtensions
{
    /// <summary>
    /// Counts, on the meter <c>IncidentTelemetry.Redis</c> with <c>redis.name</c> = <paramref name="redisName"/>:
    /// <c>incident.redis.client.connection.failures</c> (by <c>error.type</c>, the failure type in snake_case),
    /// <c>incident.redis.client.connection.restores</c> and <c>incident.redis.client.primary.changes</c> (the
    /// client followed the primary to another endpoint: a Sentinel failover). Returns the same multiplexer.
    /// </summary>
    /// <remarks>
    /// Outside a container the meter is a process-wide instance; inside one, prefer
    /// <c>services.AddIncidentTelemetryRedis(...)</c>, which takes the meter from <c>IMeterFactory</c>.
    /// </remarks>
    /// <typeparam name="TMultiplexer">The multiplexer's type.</typeparam>
    /// <param name="multiplexer">The multiplexer, for example from <c>ConnectionMultiplexer.Connect(...)</c>.</param>
    /// <param name="redisName">A short, stable name such as <c>sessions</c> (a-z, 0-9, '-', '_', '.'; at most 64
    /// characters): never a host name or a connection string.</param>
    /// <returns><paramref name="multiplexer"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="redisName"/> is not such a name, or the multiplexer
    /// already reports under another name.</exception>
    public static TMultiplexer WithIncidentTelemetry<TMultiplexer>(this TMultiplexer multiplexer, string redisName)
        where TMultiplexer : IConnectionMultiplexer
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        RedisNameValidator.Validate(redisName, nameof(redisName));
        RedisClientTelemetry.Attach(multiplexer, redisName, RedisClientMetrics.Shared);
        return multiplexer;
    }
}
