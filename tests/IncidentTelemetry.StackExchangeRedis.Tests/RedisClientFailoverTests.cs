using System.Collections.Concurrent;
using System.Net;
using IncidentTelemetry.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentTelemetry.StackExchangeRedis.Tests;

/// <summary>
/// The session store as services run it (AddStackExchangeRedisCache over StackExchange.Redis, through a real
/// Sentinel) with <c>AddIncidentTelemetryRedis("sessions")</c>: the app's own view of a real failover, and of a
/// Redis that is down when the app starts.
/// </summary>
public sealed class RedisClientFailoverTests(ITestOutputHelper output)
{
    private const string CartKey = "cart-contents-7f3a";
    private const int TimeScale = 30;

    [Fact]
    public async Task PrimaryKilled_UnderSessionTraffic_CountsOneFailoverFailuresAsErrorTypeAndAlertFires()
    {
        using var redis = await RedisTopology.StartAsync(maxMemory: "64mb");
        using var errors = new LibraryErrors();
        var sessionIds = new ConcurrentDictionary<string, bool>();
        await using var app = await StartSessionAppAsync($"127.0.0.1:{redis.SentinelPort},serviceName={RedisTopology.MasterName}", errors, sessionIds);
        var target = LoopbackApp.BaseUri(app);

        using var directory = new TempDirectory("it-rules-");
        var rules = directory.Combine(RuleRenderer.FileName(RuleFormat.Prometheus));
        await File.WriteAllTextAsync(rules, RuleRenderer.Render(RulesConfiguration.Default.WithTimeScale(TimeScale), RuleFormat.Prometheus));
        using var prometheus = await PrometheusServer.StartAsync([new ScrapeJob("user-service", [target.Authority])], [rules]);

        // Four shoppers with their own session cookie, each request reading and writing the session.
        var statuses = new ConcurrentQueue<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var shoppers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
            while (!stop.IsCancellationRequested)
            {
                using var response = await http.PostAsync(new Uri("/cart", UriKind.Relative), null);
                statuses.Enqueue(response.StatusCode);
            }
        })).ToArray();

        using var scrape = new HttpClient { BaseAddress = target };
        await Eventually.UntilAsync(() => scrape.GetStringAsync(new Uri("/metrics", UriKind.Relative)), t => Exposition.Sum(Exposition.Samples(t), "incident_cache_operation_duration_seconds_count", ("incident_cache_name", "sessions")) > 20, TimeSpan.FromSeconds(30), "session traffic");
        await Eventually.UntilAsync(() => prometheus.QueryAsync("incident_redis_client_primary_changes_total"), r => r.Count == 1, TimeSpan.FromSeconds(30), "the primary-change counter at 0 in Prometheus", () => prometheus.Output);
        Assert.DoesNotContain(await prometheus.GetAlertsAsync(), a => a.Name == "RedisClientFailover");

        redis.KillPrimary();
        await Eventually.UntilAsync(redis.GetMasterAddressAsync, a => a.EndsWith($":{redis.ReplicaPort}", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "Sentinel to promote the replica", () => redis.Diagnostics);

        try
        {
            var alerts = await Eventually.UntilAsync(
                () => prometheus.GetAlertsAsync(),
                a => a.Any(x => x.Name == "RedisClientFailover" && x.State == "firing"),
                TimeSpan.FromSeconds(60),
                "RedisClientFailover to fire",
                () => prometheus.Output);
            var alert = alerts.First(x => x.Name == "RedisClientFailover");
            output.WriteLine($"{alert.Name} {alert.State}: {string.Join(", ", alert.Labels.Select(l => $"{l.Key}={l.Value}"))}");
            Assert.Equal("sessions", alert.Labels["redis_name"]);
            Assert.Equal("user-service", alert.Labels["service"]);

            // Session operations succeed again on the new primary.
            var okBefore = statuses.Count(s => s == HttpStatusCode.OK);
            await Eventually.UntilAsync(() => Task.FromResult(statuses.Count(s => s == HttpStatusCode.OK)), n => n > okBefore + 20, TimeSpan.FromSeconds(60), "session requests to succeed after the failover");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(shoppers).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        var text = await Eventually.UntilAsync(
            () => scrape.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            t => Exposition.Sum(Exposition.Samples(t), "incident_redis_client_primary_changes_total") == 1,
            TimeSpan.FromSeconds(10),
            "one primary change on /metrics");
        var samples = Exposition.Samples(text);
        foreach (var s in samples.Where(s => s.Name.StartsWith("incident_redis_client_", StringComparison.Ordinal) || (s.Name == "incident_cache_operation_duration_seconds_count" && s.Labels.ContainsKey("error_type"))))
        {
            output.WriteLine(s.Line);
        }

        output.WriteLine($"requests: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key} x{g.Count()}"))}; sessions seen {sessionIds.Count}");
        Assert.Equal(1, Exposition.Sum(samples, "incident_redis_client_primary_changes_total", ("redis_name", "sessions")));
        var failures = samples.Where(s => s.Name == "incident_redis_client_connection_failures_total").ToList();
        Assert.NotEmpty(failures);
        Assert.All(failures, s => Assert.Matches("^[a-z_]+$", s.Labels["error_type"]));
        Assert.Contains(failures, s => s.Labels["error_type"] is "socket_failure" or "socket_closed" or "unable_to_connect");
        Assert.Equal(["error_type", "otel_scope_name", "redis_name"], Exposition.LabelNames(text, "incident_redis_client_connection_failures_total").Order(StringComparer.Ordinal));
        Assert.Equal(["otel_scope_name", "redis_name"], Exposition.LabelNames(text, "incident_redis_client_primary_changes_total").Order(StringComparer.Ordinal));
        Assert.Equal(["otel_scope_name", "redis_name"], Exposition.LabelNames(text, "incident_redis_client_connection_restores_total").Order(StringComparer.Ordinal));

        // The session operations that failed in between carry the exception type.
        var cacheErrors = samples.Where(s => s.Name == "incident_cache_operation_duration_seconds_count" && s.Labels.ContainsKey("error_type")).ToList();
        Assert.NotEmpty(cacheErrors);
        Assert.All(cacheErrors, s => Assert.StartsWith("StackExchange.Redis.", s.Labels["error_type"], StringComparison.Ordinal));

        // Nothing of the key names or session ids in any label.
        var values = samples.SelectMany(s => s.Labels.Values).Distinct().ToList();
        Assert.NotEmpty(sessionIds);
        Assert.DoesNotContain(values, v => v.Contains(CartKey, StringComparison.Ordinal) || v.Contains("shop:", StringComparison.Ordinal) || sessionIds.Keys.Any(id => v.Contains(id, StringComparison.Ordinal)));

        // Nothing escaped into the host beyond what the cache threw to its caller: every failed request and every
        // log entry is the cache's StackExchange.Redis exception (through the session), and the library reported no
        // failure of its own.
        AssertOnlyCacheFailures(errors, statuses);
    }

    [Fact]
    public async Task RedisDownAtStartup_AppStartsAndCountsTheFailure()
    {
        using var errors = new LibraryErrors();
        var nobody = LoopbackPorts.GetFree();
        await using var app = await StartSessionAppAsync($"127.0.0.1:{nobody},serviceName={RedisTopology.MasterName},connectTimeout=1000", errors, new ConcurrentDictionary<string, bool>());
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app), Timeout = TimeSpan.FromSeconds(30) };

        // The app started and answers; a session request gets only what the cache throws (the session middleware
        // logs its load failure, the endpoint then meets the cache's exception).
        var statuses = new ConcurrentQueue<HttpStatusCode>();
        using (var response = await http.PostAsync(new Uri("/cart", UriKind.Relative), null))
        {
            statuses.Enqueue(response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);

        var text = await Eventually.UntilAsync(
            () => http.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            t => Exposition.Sum(Exposition.Samples(t), "incident_redis_client_connection_failures_total", ("redis_name", "sessions"), ("error_type", "unable_to_connect")) >= 1,
            TimeSpan.FromSeconds(30),
            "the failed connect on /metrics");
        foreach (var line in Exposition.Samples(text).Where(s => s.Name.StartsWith("incident_redis_client_", StringComparison.Ordinal) || s.Labels.ContainsKey("error_type")))
        {
            output.WriteLine(line.Line);
        }

        Assert.Contains(errors.Logs, l => l.Contains("Redis 'sessions' could not be reached at startup", StringComparison.Ordinal));
        AssertOnlyCacheFailures(errors, statuses, startupWarning: true);
        Assert.Contains(Exposition.Samples(text), s => s.Name == "incident_cache_operation_duration_seconds_count" && s.Labels.GetValueOrDefault("error_type") == "StackExchange.Redis.RedisConnectionException");
    }

    [Fact]
    public void AddIncidentTelemetryRedis_NoMultiplexerRegistered_FailsSayingWhatToWrite()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<InvalidOperationException>(() => services.AddIncidentTelemetryRedis("sessions"));
        Assert.Contains("services.AddSingleton<IConnectionMultiplexer>", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddSingleton<IConnectionMultiplexer>(multiplexer)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("127.0.0.1:6379")]
    [InlineData("redis:6379")]
    [InlineData("redis,serviceName=sessions")]
    [InlineData("sessions\n")]
    [InlineData("ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssx")] // 65 characters
    public void AddIncidentTelemetryRedis_BadName_ThrowsNamingTheParameter(string name)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(_ => throw new InvalidOperationException("not resolved"));
        var error = Assert.ThrowsAny<ArgumentException>(() => services.AddIncidentTelemetryRedis(name));
        Assert.Equal("redisName", error.ParamName);
    }

    private void AssertOnlyCacheFailures(LibraryErrors errors, IEnumerable<HttpStatusCode> statuses, bool startupWarning = false)
    {
        foreach (var log in errors.Logs.Distinct().Take(12))
        {
            output.WriteLine(log);
        }

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.InternalServerError, $"status {s}"));
        Assert.All(errors.Logs, l => Assert.True(
            l.EndsWith(" StackExchange.Redis.RedisConnectionException", StringComparison.Ordinal)
                || l.EndsWith(" StackExchange.Redis.RedisTimeoutException", StringComparison.Ordinal)
                || (startupWarning && l.Contains("RedisTelemetryStartup", StringComparison.Ordinal)),
            l));
        Assert.DoesNotContain(errors.Events, e => e.StartsWith("IncidentTelemetry.StackExchangeRedis", StringComparison.Ordinal));
    }

    private static async Task<WebApplication> StartSessionAppAsync(string configuration, LibraryErrors errors, ConcurrentDictionary<string, bool> sessionIds)
        => await LoopbackApp.StartAsync(
            o => o.ServiceName = "user-service",
            app =>
            {
                app.UseSession();
                app.MapPost("/cart", async (HttpContext context) =>
                {
                    await context.Session.LoadAsync(context.RequestAborted);
                    sessionIds.TryAdd(context.Session.Id, true);
                    var count = context.Session.GetInt32(CartKey) ?? 0;
                    context.Session.SetInt32(CartKey, count + 1);
                    context.Session.Set("cart-lines", new byte[4096]);
                    return Results.Ok(count);
                });
            },
            errors.Logger,
            builder =>
            {
                var options = ConfigurationOptions.Parse(configuration);
                options.AbortOnConnectFail = false;
                options.SyncTimeout = 2000;
                options.AsyncTimeout = 2000;
                builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
                builder.Services.AddIncidentTelemetryRedis("sessions");
                builder.Services.AddStackExchangeRedisCache(o => o.InstanceName = "shop:");
                builder.Services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((o, sp) =>
                    o.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));
                builder.Services.AddSession(o => o.IOTimeout = TimeSpan.FromSeconds(5));
            });
}
