using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace LocalComponents;

/// <summary>
/// A real Redis primary, one replica and one Sentinel watching them (master name <see cref="MasterName"/>),
/// on loopback ports in a temporary directory. Everything is stopped on dispose.
/// </summary>
public sealed class RedisTopology : IDisposable
{
    public const string MasterName = "sessions";

    private readonly TempDirectory directory;
    private readonly List<ExternalProcess> processes = [];

    private RedisTopology(TempDirectory directory)
    {
        this.directory = directory;
    }

    public int PrimaryPort { get; private set; }

    public int ReplicaPort { get; private set; }

    public int SentinelPort { get; private set; }

    public ExternalProcess? Primary { get; private set; }

    /// <summary>Every process's output so far, for failure messages.</summary>
    public string Diagnostics
        => string.Join('\n', new[] { this.Primary }.Concat(this.processes).OfType<ExternalProcess>().Select(p => $"--- pid {p.Id}{(p.HasExited ? " (exited)" : string.Empty)}\n{Tail(p.Output)}"));

    /// <summary>Starts the three servers and waits until the replica is in sync and the Sentinel knows the master.</summary>
    /// <param name="maxMemory">The primary's and replica's maxmemory, for example <c>32mb</c>.</param>
    /// <param name="downAfterMilliseconds">How long the Sentinel waits before it calls the primary down.</param>
    /// <param name="maxMemoryPolicy">What Redis does at maxmemory, for example <c>allkeys-lru</c> or <c>noeviction</c>.</param>
    public static async Task<RedisTopology> StartAsync(string maxMemory = "32mb", int downAfterMilliseconds = 1000, string maxMemoryPolicy = "allkeys-lru")
    {
        var topology = new RedisTopology(new TempDirectory("it-redis-"));
        try
        {
            topology.PrimaryPort = LoopbackPorts.GetFree();
            topology.ReplicaPort = LoopbackPorts.GetFree();
            topology.SentinelPort = LoopbackPorts.GetFree();

            topology.Primary = topology.StartNode("primary", topology.PrimaryPort, maxMemory, maxMemoryPolicy, replicaOf: null);
            await WaitForPingAsync(topology.PrimaryPort);
            topology.StartNode("replica", topology.ReplicaPort, maxMemory, maxMemoryPolicy, replicaOf: topology.PrimaryPort);
            await WaitForPingAsync(topology.ReplicaPort);

            var sentinelConf = topology.directory.Combine("sentinel.conf");
            await File.WriteAllTextAsync(sentinelConf, $"""
                port {topology.SentinelPort}
                bind 127.0.0.1
                dir {topology.directory.Path}
                sentinel monitor {MasterName} 127.0.0.1 {topology.PrimaryPort} 1
                sentinel down-after-milliseconds {MasterName} {downAfterMilliseconds}
                sentinel failover-timeout {MasterName} 10000
                sentinel parallel-syncs {MasterName} 1

                """);
            topology.processes.Add(ExternalProcess.Start("redis-sentinel", [sentinelConf]));
            await WaitForPingAsync(topology.SentinelPort);

            await Eventually.UntilAsync(
                async () => await ExecuteAsync(topology.ReplicaPort, "INFO", "replication") as string ?? string.Empty,
                info => info.Contains("master_link_status:up", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30),
                "the replica to sync with the primary");
            await Eventually.UntilAsync(
                async () => await ExecuteAsync(topology.SentinelPort, "SENTINEL", "replicas", MasterName) as object?[] ?? [],
                replicas => replicas.Length > 0,
                TimeSpan.FromSeconds(30),
                "the Sentinel to discover the replica");
            return topology;
        }
        catch
        {
            topology.Dispose();
            throw;
        }
    }

    /// <summary>The master address the Sentinel currently reports, host:port.</summary>
    public async Task<string> GetMasterAddressAsync()
    {
        var reply = (object?[])(await ExecuteAsync(this.SentinelPort, "SENTINEL", "get-master-addr-by-name", MasterName))!;
        return $"{reply[0]}:{reply[1]}";
    }

    /// <summary>Kills the primary process (SIGKILL), as a crash or an OOM kill would.</summary>
    public void KillPrimary() => this.Primary?.Kill();

    public void Dispose()
    {
        this.Primary?.Dispose();
        foreach (var process in this.processes)
        {
            process.Dispose();
        }

        this.directory.Dispose();
    }

    /// <summary>Sends one command in RESP and returns the reply (string, long, string?[] / object?[] for arrays, null).</summary>
    public static async Task<object?> ExecuteAsync(int port, params string[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        using var stream = client.GetStream();
        var request = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{command.Length}\r\n");
        foreach (var part in command)
        {
            request.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await ReadAsync(reader);
    }

    private static async Task<object?> ReadAsync(StreamReader reader)
    {
        var line = await reader.ReadLineAsync() ?? throw new IOException("Redis closed the connection.");
        switch (line[0])
        {
            case '+':
                return line[1..];
            case '-':
                throw new InvalidOperationException("Redis error: " + line[1..]);
            case ':':
                return long.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
            case '$':
                {
                    var length = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return null;
                    }

                    var buffer = new char[length];
                    var read = 0;
                    while (read < length)
                    {
                        var n = await reader.ReadAsync(buffer.AsMemory(read, length - read));
                        if (n == 0)
                        {
                            throw new IOException("Redis closed the connection.");
                        }

                        read += n;
                    }

                    await reader.ReadLineAsync();
                    return new string(buffer);
                }

            case '*':
                {
                    var count = int.Parse(line.AsSpan(1), CultureInfo.InvariantCulture);
                    var items = new object?[Math.Max(0, count)];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = await ReadAsync(reader);
                    }

                    return items;
                }

            default:
                throw new IOException("Unexpected reply: " + line);
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private static Task<string?> WaitForPingAsync(int port)
        => Eventually.UntilAsync(async () => await ExecuteAsync(port, "PING") as string, r => r == "PONG", TimeSpan.FromSeconds(20), $"redis on port {port} to answer PING");

    private ExternalProcess StartNode(string name, int port, string maxMemory, string maxMemoryPolicy, int? replicaOf)
    {
        var arguments = new List<string>
        {
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", this.directory.Path,
            "--dbfilename", name + ".rdb",
            "--save", string.Empty,
            "--appendonly", "no",
            "--maxmemory", maxMemory,
            "--maxmemory-policy", maxMemoryPolicy,
            "--replica-announce-ip", "127.0.0.1",
        };
        if (replicaOf is { } primary)
        {
            arguments.AddRange(["--replicaof", "127.0.0.1", primary.ToString(CultureInfo.InvariantCulture), "--replica-ignore-maxmemory", "yes"]);
        }

        var process = ExternalProcess.Start("redis-server", arguments);
        if (replicaOf is not null)
        {
            this.processes.Add(process);
        }

        return process;
    }
}
