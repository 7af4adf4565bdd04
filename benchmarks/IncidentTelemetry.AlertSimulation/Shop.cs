using System.Globalization;

namespace IncidentTelemetry.AlertSimulation;

/// <summary>A ramped incident and the moment the customers were hit, taken from the generated traffic itself.</summary>
internal sealed record IncidentTruth(string Id, string Title, string[] Services, int StartStep, int ImpactStep, string Impact);

/// <summary>
/// Generates the telemetry of the sample shop's five services, their Redis and Sentinel (as redis_exporter exposes
/// them) and kube-state-metrics' restart counters, one scrape every 30 s, from a seeded random source. With
/// <c>incidents</c> the five incidents of the reviews are ramped in on days 14 and 15 (the third Monday and Tuesday), after two healthy weeks.
/// </summary>
internal sealed class Shop
{
    public const string Gateway = "api-gateway";
    public const string Orders = "order-service";
    public const string Inventory = "inventory-service";
    public const string Payments = "payment-service";
    public const string Users = "user-service";

    public static readonly ServiceSpec[] Services =
    [
        new(Gateway, 3, 60, [
            new("/catalog/items", "GET", 0.55, 0.03, 0.5),
            new("/catalog/items/{id:int}", "GET", 0.43, 0.025, 0.5),
            // Slow by design: the checkout route waits for the order and the payment (normal P95 about 1.5 s).
            new("/api/checkout", "POST", 0.02, 0.66, 0.5),
        ], 280, 160, 1024),
        new(Orders, 2, 12, [
            new("/orders", "POST", 0.75, 0.06, 0.55),
            new("/orders/{id:int}", "GET", 0.25, 0.02, 0.5),
        ], 600, 350, 2048, PeerService: Inventory),
        new(Inventory, 2, 40, [
            new("/inventory/{sku}", "GET", 0.75, 0.006, 0.5, "SELECT", 0.03),
            new("/inventory/reservations", "POST", 0.25, 0.008, 0.5, "UPDATE", 0.03),
        ], 300, 150, 1024, 50, "inventory"),
        new(Payments, 2, 40, [
            // Slow by design: the payment provider's call (normal P95 about 1.8 s), with a connection held meanwhile.
            new("/payments", "POST", 0.7, 0.8, 0.5, "INSERT", 1.3),
            new("/payments/{id:int}", "GET", 0.3, 0.02, 0.5, "SELECT", 0.02),
        ], 320, 150, 1024, 50, "payments"),
        new(Users, 2, 25, [
            new("/account/login", "POST", 0.08, 0.12, 0.4),
            new("/account/session", "GET", 0.92, 0.01, 0.5),
        ], 260, 120, 1024),
    ];

    private const double MiB = 1024 * 1024;
    private const string RedisPrimaryA = "10.0.9.11:6379";
    private const string RedisPrimaryB = "10.0.9.12:6379";

    private readonly SeriesSet set = new();
    private readonly Random random;
    private readonly int steps;
    private readonly bool incidents;
    private readonly Dictionary<string, List<Pod>> pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Pod?[]> slots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<int, List<(int Slot, bool Leaky)>>> replacements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(int From, int To, double Factor)>> slowdowns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> noise = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> truthP95 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<double> Current, List<double> Previous)> window = new(StringComparer.Ordinal)
    {
        [Gateway] = ([], []),
        [Orders] = ([], []),
    };

    private readonly List<(int Day, int Step)> batches = [];
    private readonly List<int> replicaRestarts = [];
    private int podCounter;
    private int firstTimeout = -1;
    private int firstOom = -1;

    public Shop(int days, bool incidents, int seed = 20241203)
    {
        this.random = new Random(seed);
        this.steps = days * Calendar.StepsPerDay;
        this.incidents = incidents;
        this.Plan(days);
    }

    public SeriesSet Series => this.set;

    public int Steps => this.steps;

    /// <summary>What the generated input contains, for the report.</summary>
    public List<string> Events { get; } = [];

    public static int StepOf(int day, double hour) => Calendar.Step(day, hour);

    private void Plan(int days)
    {
        foreach (var service in Services)
        {
            this.pods[service.Job] = [];
            this.slots[service.Job] = new Pod?[service.Replicas];
            this.replacements[service.Job] = [];
            this.slowdowns[service.Job] = [];
            this.noise[service.Job] = 0;
            for (var slot = 0; slot < service.Replicas; slot++)
            {
                this.Replace(service.Job, slot, 0, leaky: false);
            }

            var deploys = 0;
            for (var day = 0; day < days; day++)
            {
                if (Calendar.IsWorkday(day))
                {
                    // Two or three rolling deploys per service per workday, 09:30-17:30.
                    var count = this.random.Next(2, 4);
                    for (var i = 0; i < count; i++)
                    {
                        var at = Calendar.Step(day, 9.5 + (8.0 * (i + this.random.NextDouble()) / count));
                        this.RollingDeploy(service, at, leaky: false);
                        deploys++;
                    }

                    // Short slow-downs of a few minutes (a noisy neighbour, a long GC).
                    if (this.random.NextDouble() < 0.8)
                    {
                        var from = Calendar.Step(day, 8 + (12 * this.random.NextDouble()));
                        this.slowdowns[service.Job].Add((from, from + this.random.Next(4, 9), 2.5 + this.random.NextDouble()));
                    }
                }
            }

            this.Events.Add($"{service.Job}: {deploys} rolling deploys of {service.Replicas} pods");
        }

        // Pods rescheduled to another node (one pod replaced, at any hour).
        foreach (var (job, day, hour) in new[] { (Inventory, 4, 3.2), (Payments, 9, 15.66), (Gateway, 12, 11.08) })
        {
            if (day < days)
            {
                this.Schedule(job, Calendar.Step(day, hour), 0, leaky: false);
                this.Events.Add($"{job}: a pod rescheduled at {Calendar.Describe(Calendar.Step(day, hour))}");
            }
        }

        // The nightly stock-sync batch on the inventory-service's pool: about 20 min from about 02:00.
        for (var day = 0; day < days; day++)
        {
            this.batches.Add((day, Calendar.Step(day, 2 + (this.random.NextDouble() * 0.25))));
        }

        foreach (var (day, hour) in new[] { (3, 4.17), (11, 13.5) })
        {
            if (day < days)
            {
                this.replicaRestarts.Add(Calendar.Step(day, hour));
                this.Events.Add($"redis-sessions: replica restart at {Calendar.Describe(Calendar.Step(day, hour))}");
            }
        }

        if (this.incidents)
        {
            // w50-2: the release with the caching bug, rolled out at 16:00 on day 14 and rolled back at 10:00 on day 15.
            var order = Services.Single(s => s.Job == Orders);
            // No other order-service deploy while the leaky release runs.
            foreach (var key in this.replacements[Orders].Keys.Where(k => k >= Calendar.Step(Calendar.IncidentDay, 15.9) && k < Calendar.Step(Calendar.IncidentDay + 1, 10.5)).ToList())
            {
                this.replacements[Orders].Remove(key);
            }

            this.RollingDeploy(order, Calendar.Step(Calendar.IncidentDay, 16), leaky: true);
            this.RollingDeploy(order, Calendar.Step(Calendar.IncidentDay + 1, 10), leaky: false);
        }
    }

    private void RollingDeploy(ServiceSpec service, int at, bool leaky)
    {
        for (var slot = 0; slot < service.Replicas; slot++)
        {
            this.Schedule(service.Job, at + (slot * 3), slot, leaky);
        }
    }

    private void Schedule(string job, int step, int slot, bool leaky)
    {
        if (!this.replacements[job].TryGetValue(step, out var list))
        {
            this.replacements[job][step] = list = [];
        }

        list.Add((slot, leaky));
    }

    private void Replace(string job, int slot, int step, bool leaky)
    {
        var service = Services.Single(s => s.Job == job);
        var old = this.slots[job][slot];
        if (old is not null)
        {
            // The old pod terminates 60 s after its replacement started.
            old.Stop = Math.Min(old.Stop, step + 2);
        }

        this.podCounter++;
        var suffix = new string(Enumerable.Range(0, 5).Select(_ => (char)('a' + this.random.Next(26))).ToArray());
        var pod = new Pod(this.set, service, string.Create(CultureInfo.InvariantCulture, $"10.42.{this.podCounter / 200}.{this.podCounter % 200 + 10}:8080"),
            $"{job}-{suffix}", step, this.random)
        {
            LeakMbPerHour = leaky ? 95 + (10 * slot) : 0,
        };
        this.slots[job][slot] = pod;
        this.pods[job].Add(pod);
    }

    /// <summary>Runs every step; returns the incidents with the moment of impact seen in the generated traffic.</summary>
    public List<IncidentTruth> Run()
    {
        this.truthP95[Gateway] = new double[this.steps];
        this.truthP95[Orders] = new double[this.steps];
        var redis = new RedisModel(this.set, this.random);
        for (var step = 0; step < this.steps; step++)
        {
            foreach (var service in Services)
            {
                if (this.replacements[service.Job].TryGetValue(step, out var list))
                {
                    foreach (var (slot, leaky) in list)
                    {
                        this.Replace(service.Job, slot, step, leaky);
                    }
                }

                this.Step(service, step);
            }

            redis.Step(step, this.ServiceLoad(Users, step), this.incidents, this.replicaRestarts);
        }

        var result = new List<IncidentTruth>();
        if (this.incidents)
        {
            result.Add(new("w49-1", "Session Redis fills, evicts and fails over", [Users], Calendar.Step(Calendar.IncidentDay, 8), RedisModel.PrimaryStops,
                "the primary stops answering"));
            result.Add(new("w49-2", "Missing index: inventory queries 50 ms to 5 s", [Inventory, Orders], Calendar.Step(Calendar.IncidentDay, 14),
                this.FirstAtLeast(Orders, 6.0, Calendar.Step(Calendar.IncidentDay, 14)), "order P95 (1m) reaches 6 s"));
            result.Add(new("w50-1", "Payment traffic ramps to 3x over 20 min", [Payments], Calendar.Step(Calendar.IncidentDay + 1, 11), this.firstTimeout,
                "first checkout times out on the pool"));
            result.Add(new("w50-2", "Order-service leaks about 100 MB/h to its 2 GiB limit", [Orders], Calendar.Step(Calendar.IncidentDay, 16), this.firstOom,
                "first OOM kill"));
            result.Add(new("w50-3", "Campaign ramps gateway P95 to 2 s", [Gateway], Calendar.Step(Calendar.IncidentDay + 1, 15),
                this.FirstAtLeast(Gateway, 2.0, Calendar.Step(Calendar.IncidentDay + 1, 15)), "gateway P95 (1m) reaches 2 s"));
        }

        return result;
    }

    private int FirstAtLeast(string job, double seconds, int from)
    {
        for (var step = from; step < this.steps; step++)
        {
            if (this.truthP95[job][step] >= seconds)
            {
                return step;
            }
        }

        return -1;
    }

    /// <summary>The service's request rate as a share of its peak: the calendar, slow drift, e-mails, incidents.</summary>
    private double ServiceLoad(string job, int step)
    {
        var load = Calendar.Load(step) * (1 + this.noise[job]);

        // A marketing e-mail lifts traffic 1.55x within 10 min, fading over about an hour.
        foreach (var start in new[] { Calendar.Step(2, 10.5), Calendar.Step(8, 19) })
        {
            var minutes = (step - start) / 2.0;
            if (minutes >= 0 && job != Payments)
            {
                load *= 1 + (0.55 * (minutes < 10 ? minutes / 10 : Math.Exp(-(minutes - 10) / 60)));
            }
        }

        if (this.incidents && job == Payments)
        {
            // w50-1: payment traffic ramps to 3x over 20 min from 11:00, holds 20 min, falls back by 12:00.
            var minutes = (step - Calendar.Step(Calendar.IncidentDay + 1, 11)) / 2.0;
            load *= minutes switch
            {
                < 0 => 1,
                < 20 => 1 + (2 * minutes / 20),
                < 40 => 3,
                < 60 => 3 - (2 * (minutes - 40) / 20),
                _ => 1,
            };
        }

        if (this.incidents && job == Gateway)
        {
            // w50-3: the campaign's visitors, 4x on the catalogue from 15:00 within 10 min, for 35 min.
            var minutes = (step - Calendar.Step(Calendar.IncidentDay + 1, 15)) / 2.0;
            load *= minutes switch
            {
                < 0 => 1,
                < 10 => 1 + (3 * minutes / 10),
                < 35 => 4,
                < 45 => 4 - (3 * (minutes - 35) / 10),
                _ => 1,
            };
        }

        return load;
    }

    private double LatencyFactor(string job, int step)
    {
        var factor = 1.0;
        foreach (var (from, to, f) in this.slowdowns[job])
        {
            if (step >= from && step < to)
            {
                factor *= f;
            }
        }

        if (this.incidents && job == Gateway)
        {
            // w50-3: the campaign uses up the gateway: latency grows from 15:03 to about 45x by 15:15, eases after 15:40.
            var minutes = (step - Calendar.Step(Calendar.IncidentDay + 1, 15.05)) / 2.0;
            if (minutes > 0 && minutes < 42)
            {
                factor *= Math.Exp(Math.Log(45) * Math.Min(1, Math.Min(minutes / 12, (42 - minutes) / 5)));
            }
        }

        return factor;
    }

    /// <summary>w49-2: the query that lost its index, from about 50 ms to about 5 s (P95) between 14:00 and 14:08, fixed by 14:45.</summary>
    private double QueryFactor(int step)
    {
        if (!this.incidents)
        {
            return 1;
        }

        var minutes = (step - Calendar.Step(Calendar.IncidentDay, 14)) / 2.0;
        return minutes is <= 0 or >= 45 ? 1 : Math.Exp(Math.Log(120) * Math.Min(1, Math.Min(minutes / 8, (45 - minutes) / 5)));
    }

    private void Step(ServiceSpec service, int step)
    {
        var job = service.Job;
        this.noise[job] = (0.967 * this.noise[job]) + (0.0103 * Histogram.Gaussian(this.random));
        var load = this.ServiceLoad(job, step);
        var alive = this.pods[job].Where(p => p.Alive(step) || p.Stop == step).ToList();
        var serving = alive.Count(p => p.Serving(step) && p.Stop != step);
        var tracked = this.truthP95.ContainsKey(job);
        if (tracked)
        {
            this.window[job].Current.Clear();
        }

        foreach (var pod in alive)
        {
            if (pod.Stop == step)
            {
                pod.End();
                continue;
            }

            var rps = pod.Serving(step) ? service.PeakRps * load / Math.Max(1, serving) : 0;
            this.Serve(service, pod, step, rps, tracked);
            this.Memory(service, pod, step, load);
            this.Scrape(pod, step);
        }

        if (tracked)
        {
            // The P95 the customers saw over the last minute (this step and the one before), from every request.
            var (current, previous) = this.window[job];
            var minute = current.Concat(previous).ToArray();
            Array.Sort(minute);
            this.truthP95[job][step] = minute.Length == 0 ? 0 : minute[(int)Math.Floor(0.95 * (minute.Length - 1))];
            this.window[job] = (previous, current);
        }
    }

    private void Serve(ServiceSpec service, Pod pod, int step, double rps, bool tracked)
    {
        var warm = 1 + (3 * Math.Exp(-pod.UptimeSeconds(step) / 40));
        var factor = warm * this.LatencyFactor(service.Job, step);
        var queryFactor = service.Job == Inventory ? this.QueryFactor(step) : 1;
        var hour = Calendar.Hour(step);
        double connections = 0;
        double held = 0;
        long acquisitions = 0;
        foreach (var route in service.Routes)
        {
            var share = route.Share;
            if (service.Job == Users && route.Method == "POST")
            {
                // People sign in when they start work: the login share of the traffic is higher in the morning.
                share *= 1 + (Calendar.IsWorkday(Calendar.Day(step)) ? 1.5 * Calendar.Bump(hour, 6.5, 10.5) : 0);
                share *= RedisModel.LoginFactor(step, this.incidents);
            }

            var n = Histogram.Poisson(this.random, rps * share * Calendar.StepSeconds);
            var histogram = pod.Routes[route.Route];

            // A request whose connection acquisition times out (the pool's share from the last step) fails after the
            // pool's 15 s timeout with a 500: what an availability objective counts against its budget.
            var failed = route.DbOperation.Length > 0 && pod.PoolFailShare > 0 ? Histogram.Poisson(this.random, n * pod.PoolFailShare) : 0;
            failed = Math.Min(failed, n);
            if (failed > 0)
            {
                pod.ErrorHistogram(this.set, route).ObserveLogNormal(this.random, failed, 15, 0.03);
            }

            for (long k = failed; k < n; k++)
            {
                var latency = route.Median * factor * Math.Exp(route.Sigma * Histogram.Gaussian(this.random));
                if (route.DbOperation.Length > 0)
                {
                    var query = this.DbLatency(route, queryFactor);
                    pod.DbOperations[route.DbOperation].Observe(query);
                    latency += query;
                }

                if (service.PeerService.Length > 0 && route.Method == "POST")
                {
                    // An order checks the stock and reserves it: two calls to the inventory-service.
                    for (var call = 0; call < 2; call++)
                    {
                        var inventory = 0.002 + this.InventoryLatency(step);
                        pod.Client!.Observe(inventory);
                        latency += inventory;
                    }
                }

                histogram.Observe(latency);
                if (tracked)
                {
                    this.window[service.Job].Current.Add(latency);
                }
            }

            if (route.DbOperation.Length > 0)
            {
                acquisitions += n;
                var hold = route.HoldSeconds + (route.HoldSeconds < 0.1 ? DbMedian(route) * queryFactor * 1.2 : 0);
                connections += rps * share * hold;
            }

            if (service.Job == Users && route.Method == "POST")
            {
                var failures = (long)Math.Round(n * 0.07);
                pod.AddLogins("success", n - failures);
                pod.AddLogins("failure", failures);
            }
        }

        if (service.PoolMax > 0)
        {
            // The nightly batch: 40 of the pool's 50 connections for about 20 min, with slower upserts.
            if (service.Job == Inventory && pod == this.slots[Inventory][0])
            {
                foreach (var (_, start) in this.batches)
                {
                    if (step >= start && step < start + 40)
                    {
                        held += 40;
                        var upserts = Histogram.Poisson(this.random, 40 / 0.3 * Calendar.StepSeconds);
                        pod.DbHistogram(this.set, "INSERT").ObserveLogNormal(this.random, upserts, 0.3, 0.5);
                        acquisitions += upserts;
                    }
                }
            }

            this.Pool(service, pod, step, connections, held, acquisitions);
        }
    }

    private static double DbMedian(RouteSpec route) => route.Method == "GET" ? 0.02 : 0.015;

    private double DbLatency(RouteSpec route, double queryFactor)
    {
        var sigma = queryFactor > 20 ? 0.45 : 0.55;
        return DbMedian(route) * queryFactor * Math.Exp(sigma * Histogram.Gaussian(this.random));
    }

    /// <summary>What the order-service waits for one inventory call: the inventory's own time and its query.</summary>
    private double InventoryLatency(int step)
    {
        var queryFactor = this.QueryFactor(step);
        var sigma = queryFactor > 20 ? 0.45 : 0.55;
        return (0.006 * Math.Exp(0.5 * Histogram.Gaussian(this.random))) + (0.02 * queryFactor * Math.Exp(sigma * Histogram.Gaussian(this.random)));
    }

    /// <summary>
    /// The pool as a queue: the connections in use follow the demand (requests times hold time) with Poisson noise,
    /// plus what the batch holds steadily;
    /// near the size requests start to wait, past it they queue and, after the acquisition timeout, fail.
    /// </summary>
    private void Pool(ServiceSpec service, Pod pod, int step, double requests, double held, long acquisitions)
    {
        var max = service.PoolMax;
        var demand = requests + held;
        var rho = demand / max;
        var inUse = (long)held + Histogram.Poisson(this.random, requests);
        pod.PoolUsed = Math.Min(max, inUse);
        pod.PoolPending = rho >= 0.95 ? Histogram.Poisson(this.random, Math.Max(0.2, (rho - 0.95) * max)) : Math.Max(0, inUse - max);
        double waitingShare = rho switch
        {
            < 0.8 => 0,
            < 1 => 0.5 * Math.Pow((rho - 0.8) / 0.2, 2),
            _ => 1,
        };
        var waiting = (long)Math.Round(acquisitions * waitingShare);
        pod.Wait!.ObserveLogNormal(this.random, acquisitions - waiting, 0.0004, 0.8);
        pod.Wait.ObserveLogNormal(this.random, waiting, rho < 1 ? 0.02 / Math.Max(0.05, 1.05 - rho) : Math.Min(15, 0.5 + (20 * (rho - 1))), 0.6);
        pod.PoolFailShare = rho >= 1.02 ? Math.Min(0.9, (rho - 1) * 2) : 0;
        if (rho >= 1.02)
        {
            var timeouts = Histogram.Poisson(this.random, acquisitions * pod.PoolFailShare);
            if (timeouts > 0 && this.firstTimeout < 0 && service.Job == Payments && this.incidents)
            {
                this.firstTimeout = step;
            }

            pod.Timeouts += timeouts;
        }
    }

    private void Memory(ServiceSpec service, Pod pod, int step, double load)
    {
        var tau = load > pod.MemoryLoad ? 14.0 : 300.0; // steps: about 7 min up, 2.5 h down
        pod.MemoryLoad += (load - pod.MemoryLoad) / tau;
        if (step >= pod.GcNext)
        {
            // A gen2 collection every 20-60 min gives back what the heap grew since the last one.
            pod.GcHeapMb = 0;
            pod.GcPeriod = this.random.Next(40, 121);
            pod.GcNext = step + pod.GcPeriod;
            pod.GcGrowthMb = 30 + (50 * this.random.NextDouble());
        }
        else
        {
            pod.GcHeapMb += pod.GcGrowthMb * Math.Max(0.2, load) / pod.GcPeriod;
        }

        pod.LeakedMb += pod.LeakMbPerHour / Calendar.StepsPerHour;
        var uptime = pod.UptimeSeconds(step);
        var warm = 0.45 + (0.55 * (1 - Math.Exp(-uptime / 300)));
        pod.WorkingSetMb = (warm * (service.MemoryBaseMb + (service.MemoryLoadMb * pod.MemoryLoad))) + pod.GcHeapMb + pod.LeakedMb
            + (2 * Histogram.Gaussian(this.random));
        if (pod.WorkingSetMb >= service.MemoryLimitMb)
        {
            // OOM kill: the container restarts in the same pod; one scrape fails meanwhile.
            if (this.firstOom < 0 && this.incidents)
            {
                this.firstOom = step;
            }

            pod.Restarts++;
            pod.UptimeStart = step + 1;
            pod.DownUntil = step + 1;
            pod.LeakedMb = 0;
            pod.GcHeapMb = 0;
            pod.MemoryLoad = load;
            this.Events.Add($"{pod}: OOM-killed at {Calendar.Describe(step)}");
        }
    }

    private void Scrape(Pod pod, int step)
    {
        var service = pod.Service;
        if (step < pod.DownUntil)
        {
            pod.Up.Set(step, 0);
            pod.KubeRestarts.Set(step, pod.Restarts);
            return;
        }

        pod.Up.Set(step, 1);
        pod.KubeRestarts.Set(step, pod.Restarts);
        pod.Uptime.Set(step, Math.Round(pod.UptimeSeconds(step) + 3.7, 1));
        pod.WorkingSet.Set(step, Math.Round(pod.WorkingSetMb * MiB));
        pod.Limit.Set(step, service.MemoryLimitMb * MiB);
        foreach (var h in pod.Routes.Values.Concat(pod.Errors.Values).Concat(pod.DbOperations.Values))
        {
            h.Scrape(step);
        }

        pod.Client?.Scrape(step);
        if (service.PoolMax > 0)
        {
            pod.Wait!.Scrape(step);
            pod.Used!.Set(step, pod.PoolUsed);
            pod.Max!.Set(step, service.PoolMax);
            pod.Pending!.Set(step, pod.PoolPending);
            pod.TimeoutsSeries!.Set(step, pod.Timeouts);
        }

        if (service.Job == Users)
        {
            pod.ScrapeLogins(this.set, step);
            pod.Track(this.set.Get("incident_redis_client_primary_changes_total", pod.Labels + ",redis_name=\"sessions\"", integer: true))
                .Set(step, RedisModel.PrimaryChanges(step, this.incidents));
        }
    }
}
