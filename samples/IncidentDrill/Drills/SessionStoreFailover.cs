using System.Collections.Concurrent;
using System.Net;
using System.Text;
using LocalComponents;

namespace IncidentDrill.Drills;

/// <summary>
/// Week 49, incident 1: a new feature makes session payloads large; the session Redis fills up and evicts
/// sessions, users are logged out and log in again, the primary fails and Sentinel fails over.
/// </summary>
internal sealed class SessionStoreFailover : Drill
{
    private const int Shoppers = 4000;

    public override string Name => "w49-1";

    public override string Title => "Redis session store failover";

    public override string Service => "user-service";

    public override IReadOnlyList<string> ExpectedAlerts =>
        [AlertName.RedisMemoryHigh, AlertName.RedisEvictionsHigh, AlertName.LoginRateSpike, AlertName.RedisSentinelFailover, AlertName.RedisClientFailover];

    public override IReadOnlyList<string> ToleratedAlerts => [AlertName.RedisExporterDown];

    /// <summary>The review: the session primary stopped answering. Observed as its port refusing connections.</summary>
    public override DrillImpact Impact => new("the session primary stops answering");

    public override async Task<IReadOnlyList<string>> RunAsync(DrillContext context)
    {
        // 4000 sessions of 2 KiB measured 81 % (primary) and 93 % (replica) of a 16 MB maxmemory: too full for
        // a quiet baseline. With 32 MB they use under half; at 16 KiB they need 64 MB, so Redis fills and evicts.
        var redis = await context.StartRedisAsync("32mb");
        var primaryExporter = await context.StartRedisExporterAsync(redis.PrimaryPort);
        var replicaExporter = await context.StartRedisExporterAsync(redis.ReplicaPort);
        var sentinelExporter = await context.StartRedisExporterAsync(redis.SentinelPort);
        var user = await context.StartServiceAsync("user-service", new Dictionary<string, string>
        {
            ["Shop:Redis:Sentinels"] = $"127.0.0.1:{redis.SentinelPort}",
            ["Shop:Redis:MasterName"] = RedisTopology.MasterName,
            ["Shop:SessionPayloadBytes"] = "2048",
        });

        // Everybody is signed in before monitoring starts, so the baseline is the steady trickle of new logins.
        var shoppers = new ShopperPopulation(context.Http, user.BaseUri);
        context.Log.Line($"signing in {Shoppers} shoppers");
        await shoppers.SignInAsync(Shoppers, context.Token);

        await context.StartPrometheusAsync(
            new ScrapeJob("user-service", [user.Target]),
            new ScrapeJob("redis-sessions", [primaryExporter.Target, replicaExporter.Target]),
            new ScrapeJob("redis-sentinel", [sentinelExporter.Target]));

        var browsing = context.StartLoad("shoppers view their carts", shoppers.NextView, 250, onResponse: shoppers.Remember);
        var arrivals = context.StartLoad("new shoppers sign in", shoppers.NewShopperLogin, 5);
        await context.HoldAsync(DrillTiming.Baseline, "normal traffic builds the baseline");
        context.BeginIncident("new feature ships: sessions now hold 16 KiB of recommendations");
        await context.PostAsync(user.BaseUri, "/admin/session-payload?bytes=16384");
        var missing = await context.WaitForAlertsAsync([AlertName.RedisMemoryHigh, AlertName.RedisEvictionsHigh, AlertName.LoginRateSpike], DrillTiming.AlertTimeout, browsing, arrivals);

        context.Log.Line($"the primary ({await redis.GetMasterAddressAsync()}) dies");
        var primaryPort = redis.PrimaryPort;
        redis.KillPrimary();
        await Eventually.UntilAsync(() => AnswersAsync(primaryPort), answers => !answers, TimeSpan.FromSeconds(30), "the killed primary to stop answering");
        context.ObserveImpact(this.Impact.Description);
        await Eventually.UntilAsync(redis.GetMasterAddressAsync, a => a.EndsWith($":{redis.ReplicaPort}", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "Sentinel to promote the replica");
        context.Log.Line($"Sentinel promoted the replica ({await redis.GetMasterAddressAsync()})");

        // The same failover twice: from redis_exporter's view of the Sentinel, and from the service's own client,
        // which followed the primary (StackExchange.Redis, counted by AddIncidentTelemetryRedis).
        var failover = await context.WaitForAlertsAsync([AlertName.RedisSentinelFailover, AlertName.RedisClientFailover], DrillTiming.AlertTimeout, browsing, arrivals);
        return [.. missing, .. failover];
    }

    /// <summary>Whether anything accepts connections on the port (a Redis node that answers at all).</summary>
    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new System.Net.Sockets.TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>Shoppers with their session cookies: a view of the cart, and a login when the session is gone.</summary>
    private sealed class ShopperPopulation(HttpClient http, Uri user)
    {
        private readonly ConcurrentDictionary<int, string> cookies = new();
        private int next;

        public async Task SignInAsync(int count, CancellationToken token)
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = token }, async (i, ct) =>
            {
                using var request = this.Login(i);
                using var response = await http.SendAsync(request, ct);
                this.Remember(request, response);
            });
            this.next = count;
        }

        /// <summary>A shopper views the cart; one whose session is gone signs in again instead.</summary>
        public HttpRequestMessage NextView()
        {
            var shopper = Random.Shared.Next(Shoppers);
            if (!this.cookies.TryGetValue(shopper, out var cookie))
            {
                return this.Login(shopper);
            }

            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(user, "/cart"));
            request.Headers.Add("Cookie", cookie);
            request.Options.Set(ShopperKey, shopper);
            return request;
        }

        public HttpRequestMessage NewShopperLogin() => this.Login(Interlocked.Increment(ref this.next));

        public void Remember(HttpRequestMessage request, HttpResponseMessage response)
        {
            if (!request.Options.TryGetValue(ShopperKey, out var shopper))
            {
                return;
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                this.cookies.TryRemove(shopper, out _);
            }
            else if (response.Headers.TryGetValues("Set-Cookie", out var values))
            {
                var cookie = values.FirstOrDefault(v => v.StartsWith("shop.session=", StringComparison.Ordinal));
                if (cookie is not null)
                {
                    this.cookies[shopper] = cookie.Split(';')[0];
                }
            }
        }

        private HttpRequestMessage Login(int shopper)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(user, "/login"))
            {
                Content = new StringContent($"{{\"user\":\"shopper{shopper}\",\"password\":\"correct horse\"}}", Encoding.UTF8, "application/json"),
            };
            request.Options.Set(ShopperKey, shopper);
            return request;
        }

        public static readonly HttpRequestOptionsKey<int> ShopperKey = new("shopper");
    }
}
