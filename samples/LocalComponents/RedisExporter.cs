using System.Globalization;

namespace LocalComponents;

/// <summary>A real redis_exporter (Debian prometheus-redis-exporter) scraping one Redis node or Sentinel.</summary>
public sealed class RedisExporter : IDisposable
{
    private readonly ExternalProcess process;

    private RedisExporter(ExternalProcess process, int port)
    {
        this.process = process;
        this.Port = port;
    }

    public int Port { get; }

    public Uri MetricsUri => new($"http://127.0.0.1:{this.Port}/metrics");

    public string Target => $"127.0.0.1:{this.Port}";

    public static async Task<RedisExporter> StartAsync(int redisPort)
    {
        var port = LoopbackPorts.GetFree();
        var process = ExternalProcess.Start(Tools.RedisExporter,
        [
            "--redis.addr=redis://127.0.0.1:" + redisPort.ToString(CultureInfo.InvariantCulture),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
        ]);
        var exporter = new RedisExporter(process, port);
        try
        {
            using var http = new HttpClient();
            await Eventually.UntilAsync(() => http.GetStringAsync(exporter.MetricsUri), body => body.Contains("redis_up", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "redis_exporter to serve /metrics", () => process.Output);
            return exporter;
        }
        catch
        {
            exporter.Dispose();
            throw;
        }
    }

    public void Dispose() => this.process.Dispose();
}
