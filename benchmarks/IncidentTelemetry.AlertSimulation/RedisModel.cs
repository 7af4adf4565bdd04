namespace IncidentTelemetry.AlertSimulation;

/// <summary>
/// The user-service's session Redis (a primary and a replica, job redis-sessions) and its three Sentinels (job
/// redis-sentinel), as redis_exporter exposes them. Healthy: memory follows the signed-in users (sessions expire
/// after 30 min), no evictions, the replica restarts twice. w49-1 (day 14, the third Monday): the sessions grow until the primary is
/// full at 08:42, evicts, stops answering at 08:45; Sentinel promotes the replica at 08:47, the clients follow at
/// 08:48, logins rise to about 10x, the old primary returns as a replica at 08:58.
/// </summary>
internal sealed class RedisModel(SeriesSet set, Random random)
{
    public static readonly int PrimaryStops = Calendar.Step(Calendar.IncidentDay, 8.75);
    private static readonly int FillStart = Calendar.Step(Calendar.IncidentDay, 8);
    private static readonly int SentinelSwitch = Calendar.Step(Calendar.IncidentDay, 8 + (47 / 60.0));
    private static readonly int ClientsSwitch = Calendar.Step(Calendar.IncidentDay, 8.8);
    private static readonly int OldPrimaryBack = Calendar.Step(Calendar.IncidentDay, 8 + (58 / 60.0));

    private const double MaxBytes = 1024.0 * 1024 * 1024;
    private readonly string[] instances = ["redis-sessions-0:9121", "redis-sessions-1:9121"];
    private readonly string[] addresses = ["10.0.9.11:6379", "10.0.9.12:6379"];
    private readonly double[] evicted = [0, 0];
    private double sessions = 0.3;
    private double sinceFailover;

    /// <summary>How much the login share of the traffic is multiplied: about 10x after the sessions were lost.</summary>
    public static double LoginFactor(int step, bool incidents)
    {
        if (!incidents || step < ClientsSwitch)
        {
            return 1;
        }

        var minutes = (step - ClientsSwitch) / 2.0;
        return minutes > 60 ? 1 : 1 + (9 * Math.Exp(-minutes / 12));
    }

    public static int PrimaryChanges(int step, bool incidents) => incidents && step >= ClientsSwitch ? 1 : 0;

    public void Step(int step, double userLoad, bool incidents, IReadOnlyList<int> replicaRestarts)
    {
        this.sessions += (userLoad - this.sessions) / 60;
        var normal = (0.30 + (0.30 * this.sessions)) * MaxBytes;
        var failedOver = incidents && step >= SentinelSwitch;
        var primary = failedOver ? 1 : 0;
        var replica = 1 - primary;
        var used = new double[2];
        var reachable = new[] { true, true };

        if (incidents && step >= FillStart && !failedOver)
        {
            var minutes = (step - FillStart) / 2.0;
            used[primary] = Math.Min(0.999 * MaxBytes, normal + ((MaxBytes - normal) * Math.Pow(Math.Min(1, minutes / 42), 1.5)));
            if (minutes >= 36)
            {
                this.evicted[primary] += Math.Min(2000, 20 * Math.Exp((minutes - 36) / 1.5)) * Calendar.StepSeconds;
            }
        }
        else if (failedOver)
        {
            // Every session was lost with the old primary: the new one fills again as users sign in.
            this.sinceFailover += 1;
            used[primary] = normal * Math.Min(1, 0.08 + (this.sinceFailover / 120));
        }
        else
        {
            used[primary] = normal;
        }

        used[primary] += 2 * 1024 * 1024 * Histogram.Gaussian(random);
        used[replica] = used[primary] * 0.998;

        if (incidents && step >= PrimaryStops && step < OldPrimaryBack)
        {
            reachable[0] = false;
        }

        foreach (var restart in replicaRestarts)
        {
            if (step == restart)
            {
                reachable[replica] = false;
            }
            else if (step == restart + 1)
            {
                used[replica] *= 0.3;
            }
        }

        for (var i = 0; i < 2; i++)
        {
            var labels = $"job=\"redis-sessions\",instance=\"{this.instances[i]}\"";
            set.Get("up", labels, integer: true).Set(step, 1);
            set.Get("redis_up", labels, integer: true).Set(step, reachable[i] ? 1 : 0);
            if (reachable[i])
            {
                set.Get("redis_memory_used_bytes", labels, integer: true).Set(step, Math.Round(used[i]));
                set.Get("redis_memory_max_bytes", labels, integer: true).Set(step, MaxBytes);
                set.Get("redis_evicted_keys_total", labels, integer: true).Set(step, Math.Round(this.evicted[i]));
            }
        }

        for (var i = 0; i < 3; i++)
        {
            var labels = $"job=\"redis-sentinel\",instance=\"redis-sentinel-{i}:9355\"";
            set.Get("up", labels, integer: true).Set(step, 1);
            set.Get("redis_up", labels, integer: true).Set(step, 1);
            var address = this.addresses[failedOver ? 1 : 0];
            var status = set.Get("redis_sentinel_master_status", $"{labels},master_name=\"sessions\",master_address=\"{address}\",master_status=\"ok\"", integer: true);
            status.Set(step, 1);
            set.Get("redis_sentinel_master_ok_sentinels", $"{labels},master_name=\"sessions\",master_address=\"{address}\"", integer: true).Set(step, 3);
            set.Get("redis_sentinel_master_ckquorum_status", $"{labels},master_name=\"sessions\",message=\"OK 3 usable Sentinels. Quorum and failover authorization can be reached\"", integer: true)
                .Set(step, 1);
            if (failedOver && step == SentinelSwitch)
            {
                var old = $"{labels},master_name=\"sessions\",master_address=\"{this.addresses[0]}\"";
                set.Get("redis_sentinel_master_status", old + ",master_status=\"ok\"", integer: true).End();
                set.Get("redis_sentinel_master_ok_sentinels", old, integer: true).End();
            }
        }
    }
}
