using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LocalComponents;

/// <summary>One scrape job: the Prometheus <c>job</c> label and its targets (host:port).</summary>
public sealed record ScrapeJob(string Name, IReadOnlyList<string> Targets, string MetricsPath = "/metrics");

/// <summary>An alert as Prometheus's <c>/api/v1/alerts</c> reports it.</summary>
public sealed record PrometheusAlert(string Name, string State, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Annotations, DateTimeOffset ActiveAt);

/// <summary>
/// A real Prometheus server on a loopback port with a temporary TSDB, scraping the given jobs and
/// evaluating the given rule files. Stopped and removed on dispose.
/// </summary>
public sealed partial class PrometheusServer : IDisposable
{
    private readonly TempDirectory directory;
    private readonly ExternalProcess process;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private PrometheusServer(TempDirectory directory, ExternalProcess process, int port)
    {
        this.directory = directory;
        this.process = process;
        this.Port = port;
        this.BaseUri = new Uri($"http://127.0.0.1:{port}");
    }

    public int Port { get; }

    public Uri BaseUri { get; }

    public string Output => this.process.Output;

    /// <summary>Starts Prometheus and waits until it is ready.</summary>
    /// <param name="jobs">What to scrape.</param>
    /// <param name="ruleFiles">Rule files to evaluate (copied into the server's directory).</param>
    /// <param name="interval">Scrape and evaluation interval. Default: 1 s.</param>
    /// <param name="remoteWrite">
    /// A remote-write receiver (VictoriaMetrics' <c>/api/v1/write</c>) that gets every scraped sample, and none of
    /// Prometheus's own rule results (recorded series and <c>ALERTS</c>), so that a second rule evaluator reads the
    /// same samples and writes its own results. Default: none.
    /// </param>
    public static async Task<PrometheusServer> StartAsync(IEnumerable<ScrapeJob> jobs, IEnumerable<string>? ruleFiles = null, TimeSpan? interval = null, Uri? remoteWrite = null)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var directory = new TempDirectory("it-prom-");
        var every = $"{(int)(interval ?? TimeSpan.FromSeconds(1)).TotalMilliseconds}ms";
        var config = new StringBuilder();
        config.AppendLine(CultureInfo.InvariantCulture, $"global:\n  scrape_interval: {every}\n  scrape_timeout: {every}\n  evaluation_interval: {every}");
        var rules = new List<string>();
        foreach (var (file, i) in (ruleFiles ?? []).Select((f, i) => (f, i)))
        {
            var copy = directory.Combine($"rules-{i}-{Path.GetFileName(file)}");
            File.Copy(file, copy);
            rules.Add(copy);
        }

        if (rules.Count > 0)
        {
            config.AppendLine("rule_files:");
            foreach (var rule in rules)
            {
                config.AppendLine(CultureInfo.InvariantCulture, $"  - '{rule}'");
            }
        }

        config.AppendLine("scrape_configs:");
        foreach (var job in jobs)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"  - job_name: '{job.Name}'\n    metrics_path: '{job.MetricsPath}'\n    static_configs:\n      - targets: [{string.Join(", ", job.Targets.Select(t => $"'{t}'"))}]");
        }

        if (remoteWrite is not null)
        {
            // Recorded series have a colon in their name and raw metrics never do. Sent in small, quick batches:
            // the receiver's evaluator reads samples a second or two after they were scraped.
            config.AppendLine(CultureInfo.InvariantCulture, $"remote_write:\n  - url: '{remoteWrite}'\n    queue_config:\n      batch_send_deadline: 200ms\n      max_samples_per_send: 5000\n    write_relabel_configs:\n      - source_labels: [__name__]\n        regex: 'ALERTS|ALERTS_FOR_STATE|.+:.+'\n        action: drop");
        }

        var configFile = directory.Combine("prometheus.yml");
        await File.WriteAllTextAsync(configFile, config.ToString());
        return await LaunchAsync(directory, configFile);
    }

    /// <summary>
    /// Starts Prometheus over a TSDB that promtool backfills from <paramref name="openMetrics"/> (scrapes that no
    /// server made, such as hours of history), scraping nothing, and waits until it is ready.
    /// </summary>
    /// <param name="openMetrics">OpenMetrics text with timestamps, ending in <c># EOF</c>.</param>
    public static async Task<PrometheusServer> StartWithHistoryAsync(string openMetrics)
    {
        var directory = new TempDirectory("it-prom-");
        try
        {
            var input = directory.Combine("history.om");
            await File.WriteAllTextAsync(input, openMetrics);
            var (exitCode, output) = await PrometheusTools.PromtoolAsync("tsdb", "create-blocks-from", "openmetrics", input, directory.Combine("data"));
            if (exitCode != 0)
            {
                throw new InvalidOperationException("promtool could not backfill the history:\n" + output);
            }

            var configFile = directory.Combine("prometheus.yml");
            await File.WriteAllTextAsync(configFile, "global:\n  evaluation_interval: 15s\n");

            // Blocks older than the default retention (15 days) would be dropped at start.
            return await LaunchAsync(directory, configFile, "--storage.tsdb.retention.time=30d");
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Evaluates an instant query now and returns (labels, value) for every sample.</summary>
    public Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string expression, CancellationToken token = default)
        => this.InstantQueryAsync("/api/v1/query?query=" + Uri.EscapeDataString(expression), token);

    /// <summary>Evaluates an instant query at <paramref name="time"/> and returns (labels, value) for every sample.</summary>
    public Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string expression, DateTimeOffset time, CancellationToken token = default)
        => this.InstantQueryAsync(string.Create(CultureInfo.InvariantCulture, $"/api/v1/query?query={Uri.EscapeDataString(expression)}&time={time.ToUnixTimeSeconds()}"), token);

    /// <summary>The value of a query that returns one sample, or null when it returns none.</summary>
    public async Task<double?> QueryScalarAsync(string expression, CancellationToken token = default)
    {
        var results = await this.QueryAsync(expression, token);
        return results.Count == 0 ? null : results[0].Value;
    }

    /// <summary>The alerts that are pending or firing now.</summary>
    public async Task<IReadOnlyList<PrometheusAlert>> GetAlertsAsync(CancellationToken token = default)
    {
        using var json = await this.GetJsonAsync("/api/v1/alerts", token);
        var alerts = new List<PrometheusAlert>();
        foreach (var alert in json.RootElement.GetProperty("data").GetProperty("alerts").EnumerateArray())
        {
            var labels = alert.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            var annotations = alert.GetProperty("annotations").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            var activeAt = alert.TryGetProperty("activeAt", out var at) && at.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture)
                : DateTimeOffset.UtcNow;
            alerts.Add(new PrometheusAlert(labels.GetValueOrDefault("alertname", "?"), alert.GetProperty("state").GetString() ?? "?", labels, annotations, activeAt));
        }

        return alerts;
    }

    /// <summary>Waits until every target of every job is up.</summary>
    public Task WaitForTargetsUpAsync(TimeSpan timeout)
        => Eventually.UntilAsync(
            async () => await this.QueryAsync("up == 0 or absent(up)"),
            down => down.Count == 0,
            timeout,
            "every scrape target to be up",
            () => this.process.Output);

    public void Dispose()
    {
        this.process.Dispose();
        this.http.Dispose();
        this.directory.Dispose();
    }

    private static Task<PrometheusServer> LaunchAsync(TempDirectory directory, string configFile, params string[] extraArguments)
        => LaunchAsync(directory, configFile, LoopbackPorts.GetFree(), extraArguments);

    private static async Task<PrometheusServer> LaunchAsync(TempDirectory directory, string configFile, int port, string[] extraArguments)
    {
        var process = ExternalProcess.Start("prometheus",
        [
            "--config.file=" + configFile,
            "--storage.tsdb.path=" + directory.Combine("data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--web.enable-lifecycle",
            "--log.level=warn",
            .. extraArguments,
        ]);
        var server = new PrometheusServer(directory, process, port);
        try
        {
            await Eventually.UntilAsync(
                async () => (await server.http.GetAsync(new Uri(server.BaseUri, "/-/ready"))).IsSuccessStatusCode,
                ready => ready,
                TimeSpan.FromSeconds(60),
                "Prometheus to be ready",
                () => process.Output);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> InstantQueryAsync(string pathAndQuery, CancellationToken token)
    {
        using var json = await this.GetJsonAsync(pathAndQuery, token);
        var data = json.RootElement.GetProperty("data");
        var results = new List<(IReadOnlyDictionary<string, string>, double)>();
        if (data.GetProperty("resultType").GetString() == "scalar")
        {
            results.Add((new Dictionary<string, string>(), ParseValue(data.GetProperty("result")[1])));
            return results;
        }

        foreach (var sample in data.GetProperty("result").EnumerateArray())
        {
            var labels = sample.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
            results.Add((labels, ParseValue(sample.GetProperty("value")[1])));
        }

        return results;
    }

    /// <summary>A sample value as the HTTP API writes it: a number in a string, or <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.</summary>
    public static double ParseValue(JsonElement value) => value.GetString() switch
    {
        "NaN" => double.NaN,
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        var s => double.Parse(s!, CultureInfo.InvariantCulture),
    };

    private async Task<JsonDocument> GetJsonAsync(string pathAndQuery, CancellationToken token)
    {
        using var response = await this.http.GetAsync(new Uri(this.BaseUri, pathAndQuery), token);
        var body = await response.Content.ReadAsStringAsync(token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus answered {(int)response.StatusCode} to {pathAndQuery}: {body}");
        }

        return JsonDocument.Parse(body);
    }
}
