using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Internal;
using IncidentTelemetry.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace IncidentTelemetry;

/// <summary>Adds the app's own view of Redis to the <see cref="IConnectionMultiplexer"/> in the container.</summary>
public static class IncidentTelemetryRedisServiceCollectionExtensions
{
    /// <summary>
    /// Instruments the <see cref="IConnectionMultiplexer"/> registered in the container (register it first): counts, on
    /// the meter <c>IncidentTelemetry.Redis</c> (from the container's <c>IMeterFactory</c>) with <c>redis.name</c> =
    /// <paramref name="redisName"/>, <c>incident.redis.client.connection.failures</c> (by <c>error.type</c>, the failure
    /// type in snake_case), <c>incident.redis.client.connection.restores</c> and <c>incident.redis.client.primary.changes</c>
    /// (the client followed the primary to another endpoint: a Sentinel failover). A multiplexer the app already holds
    /// is registered as an instance: <c>services.AddSingleton&lt;IConnectionMultiplexer&gt;(multiplexer)</c>. The multiplexer is created in the background when the host starts: a Redis that is
    /// unreachable then does not stop the app; the failure is counted (<c>error.type</c>) and logged, and each
    /// later attempt to create it (by whoever resolves it, for example the Redis cache) is counted as well.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddSingleton&lt;IConnectionMultiplexer&gt;(_ => ConnectionMultiplexer.Connect("127.0.0.1:26379,serviceName=sessions,abortConnect=false"));
    /// builder.Services.AddIncidentTelemetryRedis("sessions");
    /// </code>
    /// </example>
    /// <param name="services">The app's services.</param>
    /// <param name="redisName">A short, stable name such as <c>sessions</c>: 1 to 64 characters among a-z, A-Z, 0-9, '-', '_' and '.'
    /// (docs/configuration.md, "Names").</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="redisName"/> is not such a name.</exception>
    /// <exception cref="InvalidOperationException">No singleton <see cref="IConnectionMultiplexer"/> is registered yet,
    /// or it is already instrumented.</exception>
    public static IServiceCollection AddIncidentTelemetryRedis(this IServiceCollection services, string redisName)
    {
        ArgumentNullException.ThrowIfNull(services);
        NameValidator.Validate(redisName, nameof(redisName), MetricsConstants.RedisNameAttribute);

        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IConnectionMultiplexer) && !services[i].IsKeyedService)
            {
                index = i;
            }
        }

        if (services.Any(static d => d.ServiceType == typeof(RedisTelemetryRegistration)))
        {
            throw new InvalidOperationException($"AddIncidentTelemetryRedis was already called: the container's IConnectionMultiplexer has one {Labels.RedisName}.");
        }

        if (index < 0)
        {
            throw new InvalidOperationException(
                $"AddIncidentTelemetryRedis(\"{redisName}\") found no IConnectionMultiplexer in the container. Register it first, for example " +
                "services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration)), or a multiplexer you hold " +
                "with services.AddSingleton<IConnectionMultiplexer>(multiplexer).");
        }

        var original = services[index];
        if (original.Lifetime != ServiceLifetime.Singleton)
        {
            throw new InvalidOperationException($"AddIncidentTelemetryRedis(\"{redisName}\") needs IConnectionMultiplexer registered as a singleton, but it is {original.Lifetime}: a multiplexer is meant to be shared.");
        }

        services.AddMetrics();
        services.TryAddSingleton(static sp => new RedisClientMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(new RedisTelemetryRegistration(redisName));
        if (original.ImplementationInstance is null)
        {
            services[index] = ServiceDescriptor.Singleton<IConnectionMultiplexer>(sp =>
            {
                var metrics = sp.GetRequiredService<RedisClientMetrics>();
                IConnectionMultiplexer multiplexer;
                try
                {
                    multiplexer = Create(original, sp);
                }
                catch (Exception ex)
                {
                    RedisClientTelemetry.CreationFailed(metrics, redisName, ex);
                    throw;
                }

                RedisClientTelemetry.Attach(multiplexer, redisName, metrics);
                return multiplexer;
            });
        }

        services.AddHostedService(static sp => new RedisTelemetryStartup(sp, sp.GetRequiredService<RedisTelemetryRegistration>(), sp.GetRequiredService<ILogger<RedisTelemetryStartup>>()));
        return services;
    }

    private static IConnectionMultiplexer Create(ServiceDescriptor original, IServiceProvider services)
    {
        if (original.ImplementationFactory is { } factory)
        {
            return (IConnectionMultiplexer)(factory(services) ?? throw new InvalidOperationException("The IConnectionMultiplexer factory returned null."));
        }

        return (IConnectionMultiplexer)ActivatorUtilities.CreateInstance(services, original.ImplementationType!);
    }
}

/// <summary>The name given to <c>AddIncidentTelemetryRedis</c>.</summary>
internal sealed record RedisTelemetryRegistration(string RedisName);

/// <summary>
/// Creates the container's multiplexer when the host starts, in the background, so that its connection failures
/// are counted from the start and an unreachable Redis neither delays nor stops the app.
/// </summary>
internal sealed partial class RedisTelemetryStartup(IServiceProvider services, RedisTelemetryRegistration registration, ILogger<RedisTelemetryStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(this.Resolve, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Resolve()
    {
        try
        {
            var multiplexer = services.GetRequiredService<IConnectionMultiplexer>();

            // An instance registered as such was not created by the container's factory: attach here.
            RedisClientTelemetry.Attach(multiplexer, registration.RedisName, services.GetRequiredService<RedisClientMetrics>());
            if (!multiplexer.IsConnected)
            {
                LogNotConnected(logger, registration.RedisName);
            }
        }
        catch (ObjectDisposedException)
        {
            // The host stopped before the multiplexer was made.
        }
        catch (Exception ex)
        {
            LogUnreachable(logger, registration.RedisName, ex.GetType().FullName ?? ex.GetType().Name, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis '{RedisName}' could not be reached at startup ({ExceptionType}); the app runs on, and whoever resolves IConnectionMultiplexer (for example the Redis cache) tries again and gets the failure.")]
    private static partial void LogUnreachable(ILogger logger, string redisName, string exceptionType, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis '{RedisName}' could not be reached at startup: its multiplexer is not connected; the app runs on, the client keeps trying, and operations fail until it connects.")]
    private static partial void LogNotConnected(ILogger logger, string redisName);
}
