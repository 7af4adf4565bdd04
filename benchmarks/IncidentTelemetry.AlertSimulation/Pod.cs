using System.Globalization;

namespace IncidentTelemetry.AlertSimulation;

/// <summary>A route of a service: its share of the service's requests and its normal latency (log-normal).</summary>
internal sealed record RouteSpec(string Route, string Method, double Share, double Median, double Sigma, string DbOperation = "", double HoldSeconds = 0);

/// <summary>A service of the sample shop as the simulation shapes it.</summary>
internal sealed record ServiceSpec(
    string Job,
    int Replicas,
    double PeakRps,
    RouteSpec[] Routes,
    double MemoryBaseMb,
    double MemoryLoadMb,
    double MemoryLimitMb,
    int PoolMax = 0,
    string PoolName = "",
    string PeerService = "");

/// <summary>One pod (one <c>instance</c>): its histograms, its memory and its process.</summary>
internal sealed class Pod
{
    public Pod(SeriesSet set, ServiceSpec service, string instance, string name, int start, Random random)
    {
        this.Service = service;
        this.Instance = instance;
        this.Name = name;
        this.Start = start;
        this.UptimeStart = start;
        this.Ready = start + 1;
        var labels = $"job=\"{service.Job}\",instance=\"{instance}\"";
        this.Labels = labels;
        foreach (var route in service.Routes)
        {
            this.Routes.Add(route.Route, new Histogram(set, "http_server_request_duration_seconds",
                $"{labels},http_route=\"{route.Route}\",http_request_method=\"{route.Method}\",http_response_status_code=\"200\",url_scheme=\"http\""));
            if (route.DbOperation.Length > 0)
            {
                this.DbHistogram(set, route.DbOperation);
            }
        }

        if (service.PeerService.Length > 0)
        {
            this.Client = new Histogram(set, "http_client_request_duration_seconds",
                $"{labels},peer_service=\"{service.PeerService}\",http_request_method=\"GET\",http_response_status_code=\"200\",server_address=\"{service.PeerService}\"");
        }

        if (service.PoolMax > 0)
        {
            var pool = $"{labels},db_client_connection_pool_name=\"{service.PoolName}\"";
            this.Wait = new Histogram(set, "db_client_connection_wait_time_seconds", pool);
            this.Used = set.Get("db_client_connection_count", pool + ",db_client_connection_state=\"used\"", integer: true);
            this.Max = set.Get("db_client_connection_max", pool, integer: true);
            this.Pending = set.Get("db_client_connection_pending_requests", pool, integer: true);
            this.TimeoutsSeries = set.Get("db_client_connection_timeouts_total", pool, integer: true);
        }

        this.Up = set.Get("up", labels, integer: true);
        this.Uptime = set.Get("process_uptime_seconds", labels);
        this.WorkingSet = set.Get("dotnet_process_memory_working_set_bytes", labels, integer: true);
        this.Limit = set.Get("incident_process_memory_limit_bytes", labels + ",incident_memory_limit_source=\"cgroup\"", integer: true);
        this.KubeRestarts = set.Get("kube_pod_container_status_restarts_total",
            $"job=\"kube-state-metrics\",instance=\"kube-state-metrics:8080\",namespace=\"shop\",pod=\"{name}\",container=\"{service.Job}\"", integer: true);
        this.GcPeriod = random.Next(40, 121);
        this.GcNext = start + this.GcPeriod;
        this.GcGrowthMb = 30 + (50 * random.NextDouble());
    }

    public ServiceSpec Service { get; }

    public string Instance { get; }

    public string Name { get; }

    public string Labels { get; }

    public int Start { get; }

    public int Ready { get; set; }

    public int Stop { get; set; } = int.MaxValue;

    public int UptimeStart { get; set; }

    /// <summary>The step until which scrapes fail (the container restarts after an OOM kill).</summary>
    public int DownUntil { get; set; } = -1;

    public int Restarts { get; set; }

    public Dictionary<string, Histogram> Routes { get; } = new(StringComparer.Ordinal);

    /// <summary>The routes' requests answered with a 500, created with the first one (as Hosting's series appear).</summary>
    public Dictionary<string, Histogram> Errors { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Histogram> DbOperations { get; } = new(StringComparer.Ordinal);

    public Histogram? Client { get; }

    public Histogram? Wait { get; }

    public Series? Used { get; }

    public Series? Max { get; }

    public Series? Pending { get; }

    public Series? TimeoutsSeries { get; }

    public long Timeouts { get; set; }

    public Series Up { get; }

    public Series Uptime { get; }

    public Series WorkingSet { get; }

    public Series Limit { get; }

    public Series KubeRestarts { get; }

    /// <summary>The load the memory follows: quick to rise (about 20 min), slow to fall (hours).</summary>
    public double MemoryLoad { get; set; }

    public double GcHeapMb { get; set; }

    public int GcNext { get; set; }

    public int GcPeriod { get; set; }

    public double GcGrowthMb { get; set; }

    /// <summary>MB leaked per hour (w50-2's caching bug); 0 in a healthy release.</summary>
    public double LeakMbPerHour { get; set; }

    public double LeakedMb { get; set; }

    public double WorkingSetMb { get; set; }

    public long PoolUsed { get; set; }

    public long PoolPending { get; set; }

    /// <summary>The share of the pool's acquisitions that timed out in the last step: its requests answer 500.</summary>
    public double PoolFailShare { get; set; }

    private readonly Dictionary<string, long> logins = new(StringComparer.Ordinal);

    private readonly HashSet<Series> tracked = [];

    /// <summary>A further series of this pod, ended with it.</summary>
    public Series Track(Series series)
    {
        this.tracked.Add(series);
        return series;
    }

    public void AddLogins(string result, long n) => this.logins[result] = this.logins.GetValueOrDefault(result) + n;

    public void ScrapeLogins(SeriesSet set, int step)
    {
        foreach (var result in new[] { "success", "failure" })
        {
            this.Track(set.Get("incident_login_attempts_total", $"{this.Labels},incident_login_result=\"{result}\",incident_login_method=\"password\"", integer: true))
                .Set(step, this.logins.GetValueOrDefault(result));
        }
    }

    public bool Alive(int step) => step >= this.Start && step < this.Stop;

    public bool Serving(int step) => step >= this.Ready && step < this.Stop && step >= this.DownUntil;

    public double UptimeSeconds(int step) => (step - this.UptimeStart) * (double)Calendar.StepSeconds;

    public Histogram ErrorHistogram(SeriesSet set, RouteSpec route)
        => this.Errors.TryGetValue(route.Route, out var h) ? h : this.Errors[route.Route] = new Histogram(set, "http_server_request_duration_seconds",
            $"{this.Labels},http_route=\"{route.Route}\",http_request_method=\"{route.Method}\",http_response_status_code=\"500\",error_type=\"500\",url_scheme=\"http\"");

    public Histogram DbHistogram(SeriesSet set, string operation)
        => this.DbOperations.TryGetValue(operation, out var h) ? h : this.DbOperations[operation] = new Histogram(set, "db_client_operation_duration_seconds",
            $"{this.Labels},db_system_name=\"postgresql\",db_client_connection_pool_name=\"{this.Service.PoolName}\",db_operation_name=\"{operation}\"");

    public void End()
    {
        foreach (var h in this.Routes.Values.Concat(this.Errors.Values).Concat(this.DbOperations.Values))
        {
            h.End();
        }

        this.Client?.End();
        this.Wait?.End();
        foreach (var s in new[] { this.Used, this.Max, this.Pending, this.TimeoutsSeries, this.Up, this.Uptime, this.WorkingSet, this.Limit, this.KubeRestarts })
        {
            s?.End();
        }

        foreach (var s in this.tracked)
        {
            s.End();
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{this.Service.Job}/{this.Name}");
}
