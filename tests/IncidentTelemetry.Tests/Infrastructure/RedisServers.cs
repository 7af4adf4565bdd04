using System.Globalization;
using System.Text;
using IncidentTelemetry.Tests.Redis;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A session store as user-service runs it: a Redis primary, one replica, one Sentinel watching them, and
/// redis_exporter twice (one for the primary, one for the Sentinel), all real processes on free loopback
/// ports with their config files in a temporary directory. Dispose stops every process and removes the files.
/// </summary>
internal sealed class RedisServers : IAsyncDisposable
{
    /// <summary>The name Sentinel monitors the primary under (<c>master_name</c> label).</summary>
    public const string MasterName = "sessions";

    private readonly TempDirectory directory = new("it-redis-");
    private readonly List<(string Name, ExternalProcess Process)> processes = [];
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private RedisServers()
    {
        this.PrimaryPort = TestPorts.GetFree();
        this.ReplicaPort = TestPorts.GetFree();
        this.SentinelPort = TestPorts.GetFree();
        this.NodeExporterPort = TestPorts.GetFree();
        this.SentinelExporterPort = TestPorts.GetFree();
    }

    public int PrimaryPort { get; }

    public int ReplicaPort { get; }

    public int SentinelPort { get; }

    /// <summary>redis_exporter with <c>--redis.addr</c> pointing at the primary.</summary>
    public int NodeExporterPort { get; }

    /// <summary>redis_exporter with <c>--redis.addr</c> pointing at the Sentinel.</summary>
    public int SentinelExporterPort { get; }

    public string PrimaryAddress => $"127.0.0.1:{this.PrimaryPort}";

    public string ReplicaAddress => $"127.0.0.1:{this.ReplicaPort}";

    /// <summary>Every process's output so far, for failure messages.</summary>
    public string Diagnostics
    {
        get
        {
            var text = new StringBuilder();
            foreach (var (name, process) in this.processes)
            {
                text.Append("--- ").Append(name).Append(process.HasExited ? " (exited)" : string.Empty).AppendLine().AppendLine(Tail(process.Output));
            }

            return text.ToString();
        }
    }

    /// <summary>Starts everything and waits until the replica is in sync, Sentinel knows it, and both exporters see their target.</summary>
    /// <param name="maxMemory">The primary's <c>maxmemory</c>, for example <c>4mb</c>.</param>
    /// <param name="maxMemoryPolicy">The primary's <c>maxmemory-policy</c>, for example <c>allkeys-lru</c>.</param>
    /// <param name="downAfterMilliseconds">Sentinel's <c>down-after-milliseconds</c>: how long the primary may be silent.</param>
    public static async Task<RedisServers> StartAsync(string maxMemory = "4mb", string maxMemoryPolicy = "allkeys-lru", int downAfterMilliseconds = 1000)
    {
        var servers = new RedisServers();
        try
        {
            await servers.StartAllAsync(maxMemory, maxMemoryPolicy, downAfterMilliseconds);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the primary (SIGKILL), as an out-of-memory kill would.</summary>
    public void KillPrimary() => this.processes.Single(p => p.Name == "primary").Process.Kill();

    /// <summary>One scrape of the node exporter's <c>/metrics</c>.</summary>
    public Task<string> ScrapeNodeAsync() => this.http.GetStringAsync(new Uri($"http://127.0.0.1:{this.NodeExporterPort}/metrics"));

    /// <summary>One scrape of the Sentinel exporter's <c>/metrics</c>.</summary>
    public Task<string> ScrapeSentinelAsync() => this.http.GetStringAsync(new Uri($"http://127.0.0.1:{this.SentinelExporterPort}/metrics"));

    public async ValueTask DisposeAsync()
    {
        // Exporters first, so that they do not log a dead target while the rest stops.
        for (var i = this.processes.Count - 1; i >= 0; i--)
        {
            this.processes[i].Process.Dispose();
        }

        this.http.Dispose();
        this.directory.Dispose();
        await Task.CompletedTask;
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];

    private static string Fmt(int value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task StartAllAsync(string maxMemory, string maxMemoryPolicy, int downAfterMilliseconds)
    {
        var common = $"""
            bind 127.0.0.1
            protected-mode no
            daemonize no
            dir {this.directory.Path}
            save ""
            appendonly no
            logfile ""
            """;

        var primaryConf = this.WriteConfig("primary.conf", $"""
            {common}
            port {Fmt(this.PrimaryPort)}
            dbfilename primary.rdb
            maxmemory {maxMemory}
            maxmemory-policy {maxMemoryPolicy}
            """);
        this.Start("primary", "redis-server", [primaryConf]);
        await this.UntilAsync(() => RespConnection.RunAsync(this.PrimaryPort, "PING"), r => r as string == "PONG", "the primary to answer PING");

        // The replica gets the same memory settings: after a failover it is the session store.
        var replicaConf = this.WriteConfig("replica.conf", $"""
            {common}
            port {Fmt(this.ReplicaPort)}
            dbfilename replica.rdb
            maxmemory {maxMemory}
            maxmemory-policy {maxMemoryPolicy}
            replicaof 127.0.0.1 {Fmt(this.PrimaryPort)}
            """);
        this.Start("replica", "redis-server", [replicaConf]);
        await this.UntilAsync(() => RespConnection.RunAsync(this.ReplicaPort, "INFO", "replication"), r => (r as string ?? string.Empty).Contains("master_link_status:up", StringComparison.Ordinal), "the replica to sync with the primary");

        // Sentinel rewrites its config file, so it must be writable; quorum 1 lets the single Sentinel fail over.
        var sentinelConf = this.WriteConfig("sentinel.conf", $"""
            bind 127.0.0.1
            protected-mode no
            daemonize no
            dir {this.directory.Path}
            logfile ""
            port {Fmt(this.SentinelPort)}
            sentinel monitor {MasterName} 127.0.0.1 {Fmt(this.PrimaryPort)} 1
            sentinel down-after-milliseconds {MasterName} {Fmt(downAfterMilliseconds)}
            sentinel failover-timeout {MasterName} 3000
            sentinel parallel-syncs {MasterName} 1
            """);
        this.Start("sentinel", "redis-sentinel", [sentinelConf]);
        await this.UntilAsync(() => RespConnection.RunAsync(this.SentinelPort, "SENTINEL", "REPLICAS", MasterName), r => r is object?[] { Length: > 0 }, "Sentinel to discover the replica");

        this.Start("node exporter", "prometheus-redis-exporter", [$"--redis.addr=redis://{this.PrimaryAddress}", $"--web.listen-address=127.0.0.1:{Fmt(this.NodeExporterPort)}"]);
        this.Start("sentinel exporter", "prometheus-redis-exporter", [$"--redis.addr=redis://127.0.0.1:{Fmt(this.SentinelPort)}", $"--web.listen-address=127.0.0.1:{Fmt(this.SentinelExporterPort)}"]);
        await this.UntilAsync(this.ScrapeNodeAsync, s => s.Contains("\nredis_up 1", StringComparison.Ordinal), "the node exporter to reach the primary");
        await this.UntilAsync(this.ScrapeSentinelAsync, s => s.Contains("redis_sentinel_master_status{", StringComparison.Ordinal), "the Sentinel exporter to report the master");
    }

    private string WriteConfig(string name, string content)
    {
        var path = this.directory.Combine(name);
        File.WriteAllText(path, content + "\n");
        return path;
    }

    private void Start(string name, string fileName, string[] arguments) =>
        this.processes.Add((name, ExternalProcess.Start(fileName, arguments, this.directory.Path)));

    private Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what) =>
        Eventually.UntilAsync(probe, done, TimeSpan.FromSeconds(30), what, () => this.Diagnostics);
}
