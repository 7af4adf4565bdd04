using StackExchange.Redis;

namespace IncidentTelemetry;

/// <summary>The former way to instrument a multiplexer outside a container; kept only to say what replaces it.</summary>
public static class ConnectionMultiplexerTelemetryExtensions
{
    /// <summary>The message of the compile-time error on <see cref="WithIncidentTelemetry"/>.</summary>
    internal const string Replacement =
        "The Redis client meter belongs to the container's IMeterFactory and there is no process-wide one: register the multiplexer " +
        "(services.AddSingleton<IConnectionMultiplexer>(multiplexer) or a factory) and call services.AddIncidentTelemetryRedis(\"sessions\").";

    /// <summary>
    /// No longer supported: a multiplexer instrumented outside a container would need a meter that no container owns
    /// and disposes. Use <see cref="IncidentTelemetryRedisServiceCollectionExtensions.AddIncidentTelemetryRedis"/>.
    /// Calling it is a compile-time error that names the replacement.
    /// </summary>
    /// <typeparam name="TMultiplexer">The multiplexer's type.</typeparam>
    /// <param name="multiplexer">The multiplexer.</param>
    /// <param name="redisName">The Redis name.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always, if called through reflection.</exception>
    [Obsolete(Replacement, error: true)]
    public static TMultiplexer WithIncidentTelemetry<TMultiplexer>(this TMultiplexer multiplexer, string redisName)
        where TMultiplexer : IConnectionMultiplexer
        => throw new NotSupportedException(Replacement);
}
