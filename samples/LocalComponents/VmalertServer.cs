using System.Globalization;
using System.Text.Json;

namespace LocalComponents;

/// <summary>
/// A live <c>vmalert</c> (Debian victoria-metrics) on a loopback port, evaluating rule files against a
/// <see cref="VictoriaMetricsServer"/> and writing its recording rules' results and <c>ALERTS</c> back into it, as
/// teams that run the rules on VictoriaMetrics have it. It sends no notifications (no notifier configured); its
/// alerts are read from its own <c>/api/v1/alerts</c>. Stopped on dispose.
/// </summary>
public sealed class VmalertServer : IDisposable
{
    private readonly ExternalProcess process;
    private readonly NotificationSink sink;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private VmalertServer(ExternalProcess process, NotificationSink sink, int port)
    {
        this.process = process;
        this.sink = sink;
        this.BaseUri = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    public Uri BaseUri { get; }

    public string Output => this.process.Output;

    /// <summary>Starts vmalert over <paramref name="datasource"/> and waits until it serves its API.</summary>
    /// <param name="datasource">Where it reads and writes.</param>
    /// <param name="ruleFile">The rule file, in Prometheus's format (the same file Prometheus loads).</param>
    /// <param name="interval">Evaluation interval of every group that sets none.</param>
    /// <param name="lookback">
    /// How far behind the clock it evaluates (<c>-datasource.lookback</c>): samples that reach VictoriaMetrics by remote
    /// write are searchable a second or two after they were scraped, and a rule evaluated "now" would read a window
    /// without its newest samples.
    /// </param>
    public static async Task<VmalertServer> StartAsync(VictoriaMetricsServer datasource, string ruleFile, TimeSpan interval, TimeSpan lookback)
    {
        ArgumentNullException.ThrowIfNull(datasource);
        ArgumentNullException.ThrowIfNull(ruleFile);
        var url = datasource.BaseUri.ToString().TrimEnd('/');
        var port = LoopbackPorts.GetFree();

        // vmalert 1.79 refuses alerting rules without a notifier (later versions have -notifier.blackhole).
        var sink = NotificationSink.Start();
        var process = ExternalProcess.Start("vmalert",
        [
            "-notifier.url=" + sink.Url,
            "-rule=" + ruleFile,
            "-datasource.url=" + url,
            "-remoteWrite.url=" + url,
            "-remoteWrite.flushInterval=200ms",
            "-evaluationInterval=" + Duration(interval),
            "-datasource.lookback=" + Duration(lookback),
            "-httpListenAddr=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "-loggerLevel=WARN",
        ]);
        var server = new VmalertServer(process, sink, port);
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    try
                    {
                        return !process.HasExited && (await server.http.GetAsync(new Uri(server.BaseUri, "/health"))).IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                ready => ready,
                TimeSpan.FromSeconds(60),
                "vmalert to serve its API",
                () => process.Output);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The alerts that are pending or firing now, shaped as Prometheus reports them.</summary>
    public async Task<IReadOnlyList<PrometheusAlert>> GetAlertsAsync(CancellationToken token = default)
    {
        using var response = await this.http.GetAsync(new Uri(this.BaseUri, "/api/v1/alerts"), token);
        var body = await response.Content.ReadAsStringAsync(token);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"vmalert answered {(int)response.StatusCode} to /api/v1/alerts: {body}");
        }

        using var json = JsonDocument.Parse(body);
        var alerts = new List<PrometheusAlert>();
        var list = json.RootElement.GetProperty("data").GetProperty("alerts");
        if (list.ValueKind != JsonValueKind.Array)
        {
            return alerts; // vmalert answers "alerts": null when there are none
        }

        foreach (var alert in list.EnumerateArray())
        {
            var labels = Strings(alert, "labels");
            var annotations = Strings(alert, "annotations");
            var name = alert.TryGetProperty("name", out var n) && n.GetString() is { Length: > 0 } s ? s : labels.GetValueOrDefault("alertname", "?");
            var activeAt = alert.TryGetProperty("activeAt", out var at) && at.ValueKind == JsonValueKind.String
                ? DateTimeOffset.Parse(at.GetString()!, CultureInfo.InvariantCulture)
                : DateTimeOffset.UtcNow;
            alerts.Add(new PrometheusAlert(name, alert.GetProperty("state").GetString() ?? "?", labels, annotations, activeAt));
        }

        return alerts;
    }

    public void Dispose()
    {
        this.process.Dispose();
        this.sink.Dispose();
        this.http.Dispose();
    }

    private static Dictionary<string, string> Strings(JsonElement alert, string property)
        => alert.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Object
            ? value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty)
            : [];

    private static string Duration(TimeSpan value) => ((int)value.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";

    /// <summary>
    /// Accepts vmalert's notifications (Alertmanager's <c>POST /api/v2/alerts</c>) and drops them: the drill reads alerts
    /// from vmalert's API, and no Alertmanager runs beside it. Written by hand because it is a dozen lines of
    /// <see cref="System.Net.HttpListener"/>.
    /// </summary>
    private sealed class NotificationSink : IDisposable
    {
        private readonly System.Net.HttpListener listener = new();
        private readonly Task loop;

        private NotificationSink(string url)
        {
            this.Url = url;
            this.listener.Prefixes.Add(url + "/");
            this.listener.Start();
            this.loop = Task.Run(this.RunAsync);
        }

        public string Url { get; }

        public static NotificationSink Start() => new($"http://127.0.0.1:{LoopbackPorts.GetFree().ToString(CultureInfo.InvariantCulture)}");

        public void Dispose()
        {
            this.listener.Close();
            try
            {
                this.loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The listener was closed under a pending accept: that is how the loop ends.
            }
        }

        private async Task RunAsync()
        {
            while (this.listener.IsListening)
            {
                System.Net.HttpListenerContext context;
                try
                {
                    context = await this.listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
