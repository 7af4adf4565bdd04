using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LocalComponents;

/// <summary>
/// A real single-node VictoriaMetrics (Debian victoria-metrics) on a loopback port with a temporary storage directory,
/// and <c>vmalert</c> replaying rule files over it: the second rule evaluator of the tests, as teams that run the rules
/// under vmalert have it. Stopped and removed on dispose.
/// </summary>
public sealed class VictoriaMetricsServer : IDisposable
{
    private readonly TempDirectory directory;
    private readonly ExternalProcess process;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private VictoriaMetricsServer(TempDirectory directory, ExternalProcess process, int port)
    {
        this.directory = directory;
        this.process = process;
        this.BaseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseUri { get; }

    public string Output => this.process.Output;

    /// <summary>Starts VictoriaMetrics (retention long enough for imported history, no response cache, no query latency offset) and waits until it is healthy.</summary>
    public static async Task<VictoriaMetricsServer> StartAsync()
    {
        var directory = new TempDirectory("it-vm-");
        var port = LoopbackPorts.GetFree();
        var process = ExternalProcess.Start("victoria-metrics",
        [
            "-storageDataPath=" + directory.Combine("data"),
            "-httpListenAddr=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "-retentionPeriod=100y",
            "-search.disableCache",
            "-search.latencyOffset=0s",
            "-loggerLevel=ERROR",
        ]);
        var server = new VictoriaMetricsServer(directory, process, port);
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    try
                    {
                        return (await server.http.GetAsync(new Uri(server.BaseUri, "/health"))).IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                ready => ready,
                TimeSpan.FromSeconds(60),
                "VictoriaMetrics to be healthy",
                () => process.Output);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>Imports samples in the Prometheus text format with millisecond timestamps, then makes them searchable.</summary>
    public async Task ImportAsync(string prometheusText, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(prometheusText);
        using var content = new StringContent(prometheusText, Encoding.UTF8, "text/plain");
        using var response = await this.http.PostAsync(new Uri(this.BaseUri, "/api/v1/import/prometheus"), content, token);
        await EnsureAsync(response, "import", token);
        await this.FlushAsync(token);
    }

    /// <summary>Makes everything ingested so far searchable (VictoriaMetrics buffers recent samples).</summary>
    public async Task FlushAsync(CancellationToken token = default)
    {
        using var response = await this.http.GetAsync(new Uri(this.BaseUri, "/internal/force_flush"), token);
        await EnsureAsync(response, "force_flush", token);
    }

    /// <summary>Evaluates an instant query at <paramref name="time"/>, looking back at most <paramref name="step"/> for each series.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string expression, DateTimeOffset time, TimeSpan step, CancellationToken token = default)
    {
        var path = string.Create(CultureInfo.InvariantCulture, $"/api/v1/query?query={Uri.EscapeDataString(expression)}&time={time.ToUnixTimeSeconds()}&step={(int)step.TotalSeconds}s");
        using var response = await this.http.GetAsync(new Uri(this.BaseUri, path), token);
        var body = await EnsureAsync(response, path, token);
        using var json = JsonDocument.Parse(body);
        var results = new List<(IReadOnlyDictionary<string, string>, double)>();
        foreach (var sample in json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            results.Add((labels, PrometheusServer.ParseValue(sample.GetProperty("value")[1])));
        }

        return results;
    }

    /// <summary>
    /// Runs <c>vmalert</c> in replay mode over <paramref name="from"/> … <paramref name="to"/>: every group of
    /// <paramref name="ruleFile"/> in file order, each rule over the whole range, with this server as datasource and as
    /// remote write target (recording rules' results and the <c>ALERTS</c> series). Returns vmalert's exit code and output.
    /// </summary>
    public async Task<(int ExitCode, string Output)> ReplayAsync(string ruleFile, DateTimeOffset from, DateTimeOffset to, TimeSpan evaluationInterval)
    {
        ArgumentNullException.ThrowIfNull(ruleFile);
        var url = this.BaseUri.ToString().TrimEnd('/');
        var result = await ExternalProcess.RunAsync("vmalert",
        [
            "-rule=" + ruleFile,
            "-datasource.url=" + url,
            "-remoteWrite.url=" + url,

            // Replay queries ranges at this step (default 5m): it must be the evaluation interval.
            "-datasource.queryStep=" + ((int)evaluationInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            "-remoteWrite.flushInterval=500ms",

            // A recording rule's results must be stored and searchable before the next rule of its group reads them:
            // at 1 s the P95 of the request buckets was sometimes read before the bucket rates existed.
            "-replay.rulesDelay=3s",
            "-replay.disableProgressBar",
            "-replay.timeFrom=" + from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "-replay.timeTo=" + to.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            "-evaluationInterval=" + ((int)evaluationInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s",
            "-httpListenAddr=127.0.0.1:" + LoopbackPorts.GetFree().ToString(CultureInfo.InvariantCulture),
            "-loggerLevel=WARN",
        ], TimeSpan.FromMinutes(10));
        await this.FlushAsync();
        return result;
    }

    public void Dispose()
    {
        this.process.Dispose();
        this.http.Dispose();
        this.directory.Dispose();
    }

    private static async Task<string> EnsureAsync(HttpResponseMessage response, string what, CancellationToken token)
    {
        var body = await response.Content.ReadAsStringAsync(token);
        return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"VictoriaMetrics answered {(int)response.StatusCode} to {what}: {body}");
    }
}
