namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// The session store of week 49 for the Redis tests: a primary, a replica and a Sentinel
/// (<see cref="RedisTopology"/>), with one redis_exporter on the primary and one on the Sentinel.
/// </summary>
internal sealed class RedisServers : IAsyncDisposable
{
    public const string MasterName = RedisTopology.MasterName;

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly RedisTopology topology;
    private readonly RedisExporter node;
    private readonly RedisExporter sentinel;

    private RedisServers(RedisTopology topology, RedisExporter node, RedisExporter sentinel)
    {
        this.topology = topology;
        this.node = node;
        this.sentinel = sentinel;
    }

    public int PrimaryPort => this.topology.PrimaryPort;

    public int ReplicaPort => this.topology.ReplicaPort;

    public int SentinelPort => this.topology.SentinelPort;

    /// <summary>The exporter pointed at the primary.</summary>
    public int NodeExporterPort => this.node.Port;

    /// <summary>The exporter pointed at the Sentinel.</summary>
    public int SentinelExporterPort => this.sentinel.Port;

    public string PrimaryAddress => $"127.0.0.1:{this.PrimaryPort}";

    public string ReplicaAddress => $"127.0.0.1:{this.ReplicaPort}";

    public string Diagnostics => this.topology.Diagnostics;

    /// <summary>Starts everything and waits until the replica is in sync, Sentinel knows it, and both exporters serve.</summary>
    public static async Task<RedisServers> StartAsync(string maxMemory = "4mb", string maxMemoryPolicy = "allkeys-lru", int downAfterMilliseconds = 1000)
    {
        var topology = await RedisTopology.StartAsync(maxMemory, downAfterMilliseconds, maxMemoryPolicy);
        RedisExporter? node = null;
        try
        {
            node = await RedisExporter.StartAsync(topology.PrimaryPort);
            var sentinel = await RedisExporter.StartAsync(topology.SentinelPort);
            return new RedisServers(topology, node, sentinel);
        }
        catch
        {
            node?.Dispose();
            topology.Dispose();
            throw;
        }
    }

    /// <summary>Kills the primary (SIGKILL), as an out-of-memory kill would.</summary>
    public void KillPrimary() => this.topology.KillPrimary();

    public Task<string> ScrapeNodeAsync() => this.http.GetStringAsync(this.node.MetricsUri);

    public Task<string> ScrapeSentinelAsync() => this.http.GetStringAsync(this.sentinel.MetricsUri);

    public ValueTask DisposeAsync()
    {
        this.sentinel.Dispose();
        this.node.Dispose();
        this.topology.Dispose();
        this.http.Dispose();
        return ValueTask.CompletedTask;
    }
}
