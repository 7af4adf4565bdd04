using LocalComponents;

namespace IncidentDrill;

/// <summary>
/// Everything one drill starts: real servers on loopback ports in temporary directories, the shop's
/// services, Prometheus with the bundled rules at the drill's time scale, and load. Disposing stops all
/// of it, in reverse order.
/// </summary>
internal sealed class DrillContext : IAsyncDisposable
{
    private readonly List<object> started = [];

    public DrillContext(DrillLog log, string rulesFile, CancellationToken token, DrillProgress? progress = null)
    {
        this.Log = log;
        this.RulesFile = rulesFile;
        this.Token = token;
        this.Progress = progress;
    }

    /// <summary>Told of phases and alert changes, for the progress display.</summary>
    public DrillProgress? Progress { get; }

    /// <summary>When Prometheus started (wall clock): where the charts begin.</summary>
    public DateTimeOffset? PrometheusStartedAt { get; private set; }

    /// <summary>When the incident began (wall clock), for the charts and the times to pending and firing.</summary>
    public DateTimeOffset? IncidentStartedAt { get; private set; }

    public DrillLog Log { get; }

    public string RulesFile { get; }

    public CancellationToken Token { get; }

    /// <summary>
    /// Shared by all simulated users. Cookies are the drills' business (each shopper keeps its own session
    /// cookie), so the handler keeps none: a shared cookie jar would make every shopper one session.
    /// </summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public PrometheusServer? Prometheus { get; private set; }

    public AlertWatcher? Alerts { get; private set; }

    /// <summary>
    /// Evaluate the same rule file with vmalert too: Prometheus remote-writes every scraped sample into a
    /// VictoriaMetrics, and vmalert evaluates the rules over it (see docs/drills.md). Default: false.
    /// </summary>
    public bool UnderVmalert { get; init; }

    /// <summary>How the drill observes customer impact; null for none.</summary>
    public DrillImpact? Impact { get; init; }

    /// <summary>When customer impact was first observed (time since the drill started), or null.</summary>
    public TimeSpan? ImpactAt { get; private set; }

    public VictoriaMetricsServer? VictoriaMetrics { get; private set; }

    /// <summary>vmalert's alerts, when <see cref="UnderVmalert"/>.</summary>
    public AlertWatcher? VmalertAlerts { get; private set; }

    /// <summary>When the incident began (time since the drill started); alerts before it are false alarms.</summary>
    public TimeSpan? IncidentStart { get; private set; }

    public async Task<PostgresServer> StartPostgresAsync()
    {
        this.Log.Line("starting PostgreSQL");
        return this.Keep(await PostgresServer.StartAsync("shared_buffers = 32MB\nmax_parallel_workers_per_gather = 0"));
    }

    public async Task<RedisTopology> StartRedisAsync(string maxMemory)
    {
        this.Log.Line($"starting Redis primary + replica + Sentinel (maxmemory {maxMemory})");
        return this.Keep(await RedisTopology.StartAsync(maxMemory));
    }

    public async Task<RedisExporter> StartRedisExporterAsync(int redisPort)
        => this.Keep(await RedisExporter.StartAsync(redisPort));

    public async Task<ShopService> StartServiceAsync(string role, IReadOnlyDictionary<string, string>? settings = null, IDictionary<string, string>? environment = null, IReadOnlyList<string>? launcher = null)
    {
        this.Log.Line($"starting {role}");
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>()) { ["Shop:AdminEnabled"] = "true" };
        return this.Keep(await ShopService.StartAsync(role, all, environment, launcher));
    }

    /// <summary>Starts Prometheus with the rules, waits until every target is up, and starts watching alerts.</summary>
    public async Task StartPrometheusAsync(params ScrapeJob[] jobs)
    {
        Uri? remoteWrite = null;
        if (this.UnderVmalert)
        {
            this.Log.Line("starting VictoriaMetrics: Prometheus remote-writes every scraped sample into it");
            this.VictoriaMetrics = this.Keep(await VictoriaMetricsServer.StartAsync());
            remoteWrite = new Uri(this.VictoriaMetrics.BaseUri, "/api/v1/write");
        }

        this.Log.Line($"starting Prometheus: scrape and evaluate every 1s, jobs {string.Join(", ", jobs.Select(j => j.Name))}");
        this.PrometheusStartedAt = DrillLog.Now;
        this.Prometheus = this.Keep(await PrometheusServer.StartAsync(jobs, [this.RulesFile], TimeSpan.FromSeconds(1), remoteWrite));
        await this.Prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));
        this.Alerts = new AlertWatcher(this.Prometheus, this.Log, this.Progress is { } progress ? progress.Alert : null);
        this.started.Add(this.Alerts);
        if (this.VictoriaMetrics is { } vm)
        {
            // vmalert starts once VictoriaMetrics has every target's `up` where vmalert will look (2 s behind the
            // clock): started earlier, it saw no `up` for a few seconds and ServiceMetricsMissing went pending.
            var targets = jobs.Sum(j => j.Targets.Count);
            await Eventually.UntilAsync(
                () => vm.QueryAsync("up", DateTimeOffset.UtcNow - VmalertLookback, TimeSpan.FromSeconds(1), this.Token),
                up => up.Count >= targets,
                TimeSpan.FromSeconds(60),
                "VictoriaMetrics to have every target's samples",
                () => this.Prometheus.Output);
            this.Log.Line($"starting vmalert: the same rules over VictoriaMetrics, every 1s, {VmalertLookback.TotalSeconds:0}s behind the clock");
            var vmalert = this.Keep(await VmalertServer.StartAsync(vm, this.RulesFile, TimeSpan.FromSeconds(1), VmalertLookback));
            this.VmalertAlerts = new AlertWatcher(vmalert.GetAlertsAsync, "vmalert: ", this.Log);
            this.started.Add(this.VmalertAlerts);
        }
    }

    /// <summary>
    /// How far behind the clock vmalert evaluates: a scraped sample reaches VictoriaMetrics by remote write and is
    /// searchable there a second or two later (measured in the drill: at 1 s the newest second was sometimes missing).
    /// </summary>
    public static TimeSpan VmalertLookback { get; } = TimeSpan.FromSeconds(2);

    /// <summary>Customer impact is there: the first call counts, later ones are ignored.</summary>
    public void ObserveImpact(string what)
    {
        lock (this.started)
        {
            if (this.ImpactAt is not null || this.IncidentStart is null)
            {
                return;
            }

            this.ImpactAt = this.Log.Elapsed;
        }

        this.Log.Line($"IMPACT: {what}");
        this.Progress?.Impact();
    }

    /// <summary>Starts open-loop load; it runs until the drill ends or the generator is disposed.</summary>
    public LoadGenerator StartLoad(string name, Func<HttpRequestMessage> request, double ratePerSecond, int maxInFlight = 256, Action<HttpRequestMessage, HttpResponseMessage>? onResponse = null)
    {
        this.Log.Line($"load {name}: {ratePerSecond:0.#} requests/s");
        return this.Keep(new LoadGenerator(name, this.Http, request, ratePerSecond, maxInFlight, this.Token, onResponse));
    }

    /// <summary>Waits, printing progress, for the alerts to fire; returns those that did not.</summary>
    public async Task<IReadOnlyList<string>> WaitForAlertsAsync(IReadOnlyList<string> alerts, TimeSpan timeout, params LoadGenerator[] load)
    {
        var watcher = this.Alerts ?? throw new InvalidOperationException("Start Prometheus first.");
        var since = this.IncidentStart ?? throw new InvalidOperationException("Call BeginIncident first.");
        this.Log.Line($"waiting up to {timeout.TotalSeconds:0}s for {string.Join(", ", alerts)}");
        this.Progress?.Phase("incident", timeout);
        var deadline = DateTime.UtcNow + timeout;
        var lastProgress = DateTime.UtcNow;
        while (true)
        {
            var missing = await watcher.WaitForAsync(alerts, since, TimeSpan.FromSeconds(1), this.Token);

            // Under vmalert the drill also waits for vmalert's alerts (the runner judges them); the verdict on
            // Prometheus's alerts stays what is returned.
            var vmalertMissing = this.VmalertAlerts is { } vm ? await vm.WaitForAsync(alerts, since, TimeSpan.Zero, this.Token) : [];
            if ((missing.Count == 0 && vmalertMissing.Count == 0) || DateTime.UtcNow >= deadline)
            {
                return missing;
            }

            if (missing.Count == 0)
            {
                await Task.Delay(500, this.Token);
            }

            if (DateTime.UtcNow - lastProgress > TimeSpan.FromSeconds(15))
            {
                lastProgress = DateTime.UtcNow;
                this.Log.Line($"... still waiting for {string.Join(", ", missing)}; {string.Join("; ", load.Select(l => l.ToString()))}");
            }
        }
    }

    /// <summary>
    /// Keeps the incident going, after its alerts fired, until the customers are hit or <paramref name="timeout"/>
    /// passes: the report then shows how long before impact the alerts came.
    /// </summary>
    public async Task HoldUntilImpactAsync(TimeSpan timeout)
    {
        if (this.ImpactAt is not null || this.Impact?.Query is null)
        {
            return;
        }

        this.Log.Line($"alerts are in; the incident runs on until impact, at most {timeout.TotalSeconds:0}s");
        var deadline = DateTime.UtcNow + timeout;
        while (this.ImpactAt is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, this.Token);
        }
    }

    /// <summary>Lets the given time pass while load runs (building a baseline, for example).</summary>
    public async Task HoldAsync(TimeSpan duration, string why)
    {
        this.Log.Line($"{why} for {duration.TotalSeconds:0}s");
        if (this.IncidentStart is null)
        {
            this.Progress?.Phase("baseline", duration);
        }

        await Task.Delay(duration, this.Token);
    }

    /// <summary>Marks the start of the incident: alerts that fired before it were false alarms during normal traffic.</summary>
    public void BeginIncident(string what)
    {
        var falseAlarms = this.Alerts?.FiredBefore(this.Log.Elapsed) ?? [];
        this.Log.Line(falseAlarms.Count == 0 ? "baseline was quiet: no alert fired" : $"baseline was NOT quiet: {string.Join(", ", falseAlarms)} fired");
        this.IncidentStart = this.Log.Elapsed;
        this.IncidentStartedAt = DrillLog.Now;
        this.Progress?.Phase("incident", DrillTiming.AlertTimeout);
        this.Log.Line($"INCIDENT: {what}");
        if (this.Impact is { Query: { } query } impact && this.Prometheus is { } prometheus)
        {
            // Until the drill stops (dashboards and charts included, while load still runs): impact may come after
            // the last expected alert.
            var probe = new BackgroundLoop(async token =>
            {
                while (!token.IsCancellationRequested && this.ImpactAt is null)
                {
                    try
                    {
                        if ((await prometheus.QueryAsync(query, token)).Count > 0)
                        {
                            this.ObserveImpact(impact.Description);
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException)
                    {
                        // Prometheus busy for a moment: the next second asks again.
                    }

                    await Task.Delay(1000, token);
                }
            }, this.Token);
            this.started.Add(probe);
        }
    }

    public async Task<string> PostAsync(Uri service, string pathAndQuery)
    {
        using var response = await this.Http.PostAsync(new Uri(service, pathAndQuery), null, this.Token);
        var body = await response.Content.ReadAsStringAsync(this.Token);
        response.EnsureSuccessStatusCode();
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = this.started.Count - 1; i >= 0; i--)
        {
            switch (this.started[i])
            {
                case IAsyncDisposable a:
                    await a.DisposeAsync();
                    break;
                case IDisposable d:
                    d.Dispose();
                    break;
            }
        }

        this.Http.Dispose();
    }

    private T Keep<T>(T item)
        where T : notnull
    {
        this.started.Add(item);
        return item;
    }
}
