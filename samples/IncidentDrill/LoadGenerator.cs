using System.Diagnostics;

namespace IncidentDrill;

/// <summary>
/// Open-loop load on loopback: requests start at the current rate whatever the service's latency (as real
/// customers do), with a bound on requests in flight. The rate can change while it runs; it stops when
/// disposed or when the drill's token is cancelled.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private readonly HttpClient client;
    private readonly Func<HttpRequestMessage> request;
    private readonly Action<HttpRequestMessage, HttpResponseMessage>? onResponse;
    private readonly int maxInFlight;
    private readonly BackgroundLoop loop;
    private double rate;
    private long sent;
    private long succeeded;
    private long failed;

    public LoadGenerator(string name, HttpClient client, Func<HttpRequestMessage> request, double ratePerSecond, int maxInFlight, CancellationToken token, Action<HttpRequestMessage, HttpResponseMessage>? onResponse = null)
    {
        this.Name = name;
        this.client = client;
        this.request = request;
        this.onResponse = onResponse;
        this.rate = ratePerSecond;
        this.maxInFlight = maxInFlight;
        this.loop = new BackgroundLoop(this.RunAsync, token);
    }

    public string Name { get; }

    public double Rate
    {
        get => Volatile.Read(ref this.rate);
        set => Volatile.Write(ref this.rate, value);
    }

    public long Sent => Interlocked.Read(ref this.sent);

    public long Succeeded => Interlocked.Read(ref this.succeeded);

    public long Failed => Interlocked.Read(ref this.failed);

    public override string ToString() => $"{this.Name}: {this.Rate:0.#}/s, sent {this.Sent}, ok {this.Succeeded}, failed {this.Failed}";

    public ValueTask DisposeAsync() => this.loop.DisposeAsync();

    private async Task RunAsync(CancellationToken token)
    {
        using var gate = new SemaphoreSlim(this.maxInFlight);
        var next = Stopwatch.GetTimestamp();
        while (!token.IsCancellationRequested)
        {
            var current = this.Rate;
            if (current <= 0)
            {
                await Task.Delay(100, token);
                next = Stopwatch.GetTimestamp();
                continue;
            }

            next += (long)(Stopwatch.Frequency / current);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, token);
            }
            else if (wait < TimeSpan.FromSeconds(-1))
            {
                next = Stopwatch.GetTimestamp(); // fell behind (machine busy): do not burst to catch up
            }

            if (!gate.Wait(0, CancellationToken.None))
            {
                Interlocked.Increment(ref this.failed); // too many in flight: this customer gives up
                continue;
            }

            _ = this.SendOneAsync(gate, token);
        }
    }

    private async Task SendOneAsync(SemaphoreSlim gate, CancellationToken token)
    {
        using var message = this.request();
        try
        {
            Interlocked.Increment(ref this.sent);
            using var response = await this.client.SendAsync(message, token);
            this.onResponse?.Invoke(message, response);
            if (response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref this.succeeded);
            }
            else
            {
                Interlocked.Increment(ref this.failed);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref this.failed);
        }
        finally
        {
            try
            {
                gate.Release();
            }
            catch (ObjectDisposedException)
            {
                // The generator stopped while this request was in flight.
            }
        }
    }
}
