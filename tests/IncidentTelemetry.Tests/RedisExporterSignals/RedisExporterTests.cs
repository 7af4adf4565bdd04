using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.RedisExporterSignals;

/// <summary>
/// The server-side session-store signals of week 49, incident 1 (Redis out of memory, Sentinel failover), as
/// redis_exporter 1.45 exposes them from a real primary, replica and Sentinel. The alert rules use these names.
/// </summary>
public sealed class RedisExporterTests(ITestOutputHelper output)
{
    private const int ValueSize = 20 * 1024;
    private const double FourMegabytes = 4 * 1024 * 1024;

    [Fact]
    public async Task RedisEvictedKeysTotal_FillBeyondMaxmemory_RisesWithMemoryNearMax()
    {
        await using var redis = await RedisServers.StartAsync(maxMemory: "4mb", maxMemoryPolicy: "allkeys-lru");

        var before = ExpositionSample.ParseAll(await redis.ScrapeNodeAsync());
        Assert.Equal(1, Single(before, "redis_up").Value);
        Assert.Equal(0, Single(before, "redis_evicted_keys_total").Value);
        Assert.Equal(FourMegabytes, Single(before, "redis_memory_max_bytes").Value);
        Assert.InRange(Single(before, "redis_memory_used_bytes").Value, 1, FourMegabytes / 2);
        Assert.Equal("allkeys-lru", Single(before, "redis_instance_info").Labels["maxmemory_policy"]);

        // Session payloads of 20 KB, 100 per round, until the primary has to evict.
        await using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.PrimaryPort},allowAdmin=true");
        var database = connection.GetDatabase();
        var payload = new string('s', ValueSize);
        var written = 0;
        List<ExpositionSample> after = [];
        for (var round = 0; round < 50; round++)
        {
            var replies = await Task.WhenAll(Enumerable.Range(written, 100).Select(i => database.StringSetAsync($"session:{i}", payload)));
            Assert.All(replies, Assert.True);
            written += 100;

            after = ExpositionSample.ParseAll(await redis.ScrapeNodeAsync());
            if (Single(after, "redis_evicted_keys_total").Value > 0)
            {
                break;
            }
        }

        var evicted = Single(after, "redis_evicted_keys_total").Value;
        var used = Single(after, "redis_memory_used_bytes").Value;
        var keys = await connection.GetServer("127.0.0.1", redis.PrimaryPort).DatabaseSizeAsync();
        output.WriteLine($"wrote {written} keys of {ValueSize} B; {keys} remain; scrape after:");
        foreach (var line in after.Where(s => s.Name is "redis_up" or "redis_evicted_keys_total" or "redis_memory_used_bytes" or "redis_memory_max_bytes"))
        {
            output.WriteLine(line.Line);
        }

        Assert.True(evicted > 0, $"no eviction after {written} keys:\n{redis.Diagnostics}");
        Assert.Equal(written - keys, evicted);

        // Memory sits at the limit, far past the 75 % the memory alert warns at.
        Assert.InRange(used / Single(after, "redis_memory_max_bytes").Value, 0.75, 1.1);
    }

    [Fact]
    public async Task RedisSentinelMasterStatus_PrimaryKilled_MasterAddressMovesToReplica()
    {
        await using var redis = await RedisServers.StartAsync(downAfterMilliseconds: 1000);

        var before = ExpositionSample.ParseAll(await redis.ScrapeSentinelAsync());
        var master = Single(before, "redis_sentinel_master_status");
        Assert.Equal(RedisServers.MasterName, master.Labels["master_name"]);
        Assert.Equal(redis.PrimaryAddress, master.Labels["master_address"]);
        Assert.Equal("ok", master.Labels["master_status"]);
        Assert.Equal(1, master.Value);
        Assert.Equal(1, Single(before, "redis_sentinel_master_ok_sentinels").Value);
        Assert.Equal(1, Single(before, "redis_sentinel_master_ok_slaves").Value);
        Assert.Equal(1, Single(before, "redis_sentinel_master_ckquorum_status").Value);
        Assert.Equal(1, Single(before, "redis_up").Value);
        output.WriteLine("Sentinel exporter before the kill:");
        WriteSentinelLines(before);

        redis.KillPrimary();

        var after = await Eventually.UntilAsync(
            async () => ExpositionSample.ParseAll(await redis.ScrapeSentinelAsync()),
            samples => samples.Any(s => s.Name == "redis_sentinel_master_status" && s.Labels["master_address"] == redis.ReplicaAddress),
            TimeSpan.FromSeconds(60),
            "Sentinel to promote the replica",
            () => redis.Diagnostics);
        output.WriteLine("Sentinel exporter after the failover:");
        WriteSentinelLines(after);

        var promoted = Single(after, "redis_sentinel_master_status");
        Assert.Equal(RedisServers.MasterName, promoted.Labels["master_name"]);
        Assert.DoesNotContain(after, s => s.Labels.TryGetValue("master_address", out var a) && a == redis.PrimaryAddress);

        // The exporter of the dead primary stays up and says so with redis_up 0.
        var node = await Eventually.UntilAsync(
            async () => ExpositionSample.ParseAll(await redis.ScrapeNodeAsync()),
            samples => samples.Any(s => s.Name == "redis_up" && s.Value == 0),
            TimeSpan.FromSeconds(30),
            "the node exporter to report the primary down",
            () => redis.Diagnostics);
        Assert.DoesNotContain(node, s => s.Name == "redis_memory_used_bytes");
        output.WriteLine(Single(node, "redis_up").Line);
    }

    private static ExpositionSample Single(List<ExpositionSample> samples, string name)
    {
        var matching = samples.Where(s => s.Name == name).ToList();
        Assert.True(matching.Count == 1, $"expected one {name} sample, found {matching.Count}: {string.Join(" | ", matching.Select(m => m.Line))}");
        return matching[0];
    }

    private void WriteSentinelLines(List<ExpositionSample> samples)
    {
        foreach (var sample in samples.Where(s => s.Name.StartsWith("redis_sentinel_master", StringComparison.Ordinal) || s.Name == "redis_up"))
        {
            output.WriteLine(sample.Line);
        }
    }
}
