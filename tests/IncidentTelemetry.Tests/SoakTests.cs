using System.Globalization;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests;

/// <summary>
/// A bounded soak on loopback: the sample service under constant traffic for a minute after warm-up. Its
/// managed heap after each garbage collection (dotnet.gc.last_collection.heap.size, as the service itself
/// exports it) stays flat: nothing in the library grows with the number of requests or scrapes.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Service_ConstantLoadForAMinute_HeapAfterGcFlat()
    {
        using var shop = await ShopService.StartAsync("all");
        using var http = new HttpClient { BaseAddress = shop.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var done = new CancellationTokenSource();
        long requests = 0;
        var clients = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var i = c * 1_000_000;
            while (!done.IsCancellationRequested)
            {
                i++;
                var url = (i % 4) switch
                {
                    0 => $"/catalog/items/{i}",
                    1 => $"/inventory/{i}",
                    2 => $"/no/such/path/{i}?q={i}", // unmatched, every path new
                    _ => "/metrics",
                };
                using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
                Interlocked.Increment(ref requests);
            }
        })).ToArray();

        await Task.Delay(WarmUp);
        var heap = new List<double>();
        var workingSet = new List<double>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < Measure)
        {
            var samples = Exposition.Samples(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
            heap.Add(samples.Where(s => s.Name == "dotnet_gc_last_collection_heap_size_bytes").Sum(s => s.Value));
            workingSet.Add(samples.Where(s => s.Name == "dotnet_process_memory_working_set_bytes").Sum(s => s.Value));
            await Task.Delay(Interval);
        }

        await done.CancelAsync();
        await Task.WhenAll(clients);

        var first = Median(heap.Take(3));
        var last = Median(heap.TakeLast(3));
        output.WriteLine($"{requests} requests in {(WarmUp + clock.Elapsed).TotalSeconds:F0} s ({requests / (WarmUp + clock.Elapsed).TotalSeconds:F0}/s)");
        output.WriteLine($"heap after GC, MB: {string.Join(" ", heap.Select(Mb))}");
        output.WriteLine($"working set, MB:   {string.Join(" ", workingSet.Select(Mb))}");
        output.WriteLine($"median of first three {Mb(first)} MB, of last three {Mb(last)} MB, growth {Mb(last - first)} MB");

        Assert.True(heap.Count >= 6 && heap.All(h => h > 0), "the service exports its heap size");
        Assert.True(requests > 1000, $"only {requests} requests");

        // Generous: 8 MB or half the warm heap, whichever is larger. A per-request leak of a few hundred bytes over
        // the tens of thousands of requests here, or a per-path series, would be well above it.
        var bound = Math.Max(8 * 1024 * 1024, first / 2);
        Assert.True(last - first < bound, $"heap after GC grew from {Mb(first)} MB to {Mb(last)} MB");
        Assert.False(shop.HasExited, shop.Output);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Mb(double bytes) => (bytes / (1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
}
