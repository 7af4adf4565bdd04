using System.Diagnostics;

namespace IncidentDrill;

/// <summary>
/// Open-loop load on loopback: requests start at a fixed rate whatever the service's latency (as real
/// customers do), up to a bound on requests in flight, for a bounded time.
/// </summary>
internal sealed class LoadGenerator(HttpClient client)
{
    private long sent;
    private long succeeded;
    private long failed;

    public long Sent => Interlocked.Read(ref this.sent);

    public long Succeeded => Interlocked.Read(ref this.succeeded);

    public long Failed => Interlocked.Read(ref this.failed);

    /// <summary>Sends <paramref name="ratePerSecond"/> requests a second for <paramref name="duration"/>.</summary>
    public async Task RunAsync(Func<HttpRequestMessage> request, double ratePerSecond, TimeSpan duration, int maxInFlight, CancellationToken token)
    {
        using var gate = new SemaphoreSlim(maxInFlight);
        var inFlight = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var interval = 1.0 / ratePerSecond;
        for (long i = 0; ; i++)
        {
            var due = i * interval;
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (due >= duration.TotalSeconds)
            {
                break;
            }

            if (due > elapsed)
            {
                await Task.Delay(TimeSpan.FromSeconds(due - elapsed), token);
            }

            if (!await gate.WaitAsync(0, token))
            {
                // Too many in flight: this customer gives up before sending; count it as a failure.
                Interlocked.Increment(ref this.failed);
                continue;
            }

            inFlight.Add(this.SendOneAsync(request(), gate, token));
            if (inFlight.Count > 4096)
            {
                inFlight.RemoveAll(static t => t.IsCompleted);
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task SendOneAsync(HttpRequestMessage message, SemaphoreSlim gate, CancellationToken token)
    {
        try
        {
            Interlocked.Increment(ref this.sent);
            using var response = await client.SendAsync(message, token);
            Interlocked.Increment(ref response.IsSuccessStatusCode ? ref this.succeeded : ref this.failed);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref this.failed);
        }
        finally
        {
            message.Dispose();
            gate.Release();
        }
    }
}
