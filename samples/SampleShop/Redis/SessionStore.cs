using IncidentTelemetry;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

namespace SampleShop.Redis;

/// <summary>The session store on Redis, as a service would write it: StackExchange.Redis and AddStackExchangeRedisCache.</summary>
internal static class SessionStore
{
    public static void AddRedis(IServiceCollection services, RedisCacheSettings settings)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(settings.ToConfiguration()));
        services.AddIncidentTelemetryRedis("sessions");   // connection failures, restores, primary changes (failover)

        // The cache uses the container's multiplexer (resolved on each connect attempt until one succeeds).
        services.AddStackExchangeRedisCache(o => o.InstanceName = "shop:");
        services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((o, sp) =>
            o.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));
    }
}
