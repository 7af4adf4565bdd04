using LocalComponents;

namespace IncidentDrill;

/// <summary>
/// Polls an evaluator's alerts (Prometheus's, or vmalert's) once a second, prints every change of state, and
/// remembers when each alert (by name and service) first fired.
/// </summary>
internal sealed class AlertWatcher : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<PrometheusAlert>>> source;
    private readonly string prefix;
    private readonly DrillLog log;
    private readonly Dictionary<string, string> states = [];
    private readonly List<(string Name, TimeSpan At, PrometheusAlert Alert)> firings = [];
    private readonly Action<string, string>? changed;
    private readonly BackgroundLoop loop;

    /// <param name="changed">Told of every change: the alert (name and distinguishing labels) and its new state, or <c>resolved</c>.</param>
    public AlertWatcher(PrometheusServer prometheus, DrillLog log, Action<string, string>? changed = null)
        : this(prometheus.GetAlertsAsync, string.Empty, log, changed)
    {
    }

    /// <param name="source">Reads the alerts pending or firing now.</param>
    /// <param name="prefix">Put before every line it prints (which evaluator it watches), empty for Prometheus.</param>
    public AlertWatcher(Func<CancellationToken, Task<IReadOnlyList<PrometheusAlert>>> source, string prefix, DrillLog log, Action<string, string>? changed = null)
    {
        this.source = source;
        this.prefix = prefix;
        this.log = log;
        this.changed = changed;
        this.loop = new BackgroundLoop(this.RunAsync);
    }

    /// <summary>
    /// The first time each alert started firing at or after <paramref name="since"/> (time since the drill
    /// started), by alert name.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> FiredSince(TimeSpan since)
    {
        lock (this.firings)
        {
            return this.firings.Where(f => f.At >= since).GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.Min(f => f.At));
        }
    }

    /// <summary>Every alert instance that started firing at or after <paramref name="since"/>, with its labels.</summary>
    public IReadOnlyList<PrometheusAlert> FiringsSince(TimeSpan since)
    {
        lock (this.firings)
        {
            return [.. this.firings.Where(f => f.At >= since).Select(f => f.Alert)];
        }
    }

    /// <summary>Alerts that fired before <paramref name="until"/> (during the baseline: false alarms).</summary>
    public IReadOnlyList<string> FiredBefore(TimeSpan until)
    {
        lock (this.firings)
        {
            return this.firings.Where(f => f.At < until).Select(f => f.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Waits until every named alert has fired since <paramref name="since"/>, or the timeout passes; returns those still missing.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(IEnumerable<string> alerts, TimeSpan since, TimeSpan timeout, CancellationToken token)
    {
        var wanted = alerts.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var fired = this.FiredSince(since);
            var missing = wanted.Where(a => !fired.ContainsKey(a)).ToList();
            if (missing.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return missing;
            }

            await Task.Delay(500, token);
        }
    }

    public ValueTask DisposeAsync() => this.loop.DisposeAsync();

    private async Task RunAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            try
            {
                var seen = new HashSet<string>();
                foreach (var alert in await this.source(token))
                {
                    var key = $"{alert.Name}{{service={alert.Labels.GetValueOrDefault("service", "?")}{Extra(alert)}}}";
                    seen.Add(key);
                    if (!this.states.TryGetValue(key, out var before) || before != alert.State)
                    {
                        this.states[key] = alert.State;
                        this.log.Line($"{this.prefix}alert {key} is {alert.State}");
                        this.changed?.Invoke(key, alert.State);
                        if (alert.State == "firing")
                        {
                            lock (this.firings)
                            {
                                this.firings.Add((alert.Name, this.log.Elapsed, alert));
                            }
                        }
                    }
                }

                foreach (var gone in this.states.Keys.Where(k => !seen.Contains(k)).ToList())
                {
                    this.states.Remove(gone);
                    this.log.Line($"{this.prefix}alert {gone} resolved");
                    this.changed?.Invoke(gone, "resolved");
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
            {
                this.log.Line($"({this.prefix}could not read alerts: {ex.Message})");
            }

            await Task.Delay(1000, token);
        }
    }

    private static string Extra(PrometheusAlert alert)
    {
        foreach (var label in new[] { "http_route", "peer_service", "db_client_connection_pool_name", "master_name" })
        {
            if (alert.Labels.TryGetValue(label, out var value))
            {
                return $",{label}={value}";
            }
        }

        return string.Empty;
    }
}
