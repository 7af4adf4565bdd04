using System.Diagnostics;
using System.Globalization;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// What BenchmarkDotNet does not show: the response size and line count of one scrape, and the bytes
/// allocated by the first, second and tenth scrape (buffer reuse shows as a second scrape that allocates
/// far less than the response size), and a hash of the output, which an optimization must not change.
/// </summary>
internal static class ScrapeReport
{
    public static void Run()
    {
        Console.WriteLine("| series | format | response bytes | lines | 1st scrape alloc | 2nd scrape alloc | 10th scrape alloc | 10th scrape ms | sha256 |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var series in new[] { 1_000, 10_000, 100_000 })
        {
            foreach (var openMetrics in new[] { false, true })
            {
                using var fixture = new ScrapeFixture(series);
                var first = Allocated(() => fixture.Scrape(openMetrics), out var size);
                var second = Allocated(() => fixture.Scrape(openMetrics), out _);
                for (var i = 0; i < 7; i++)
                {
                    fixture.Scrape(openMetrics);
                }

                var watch = Stopwatch.StartNew();
                var tenth = Allocated(() => fixture.Scrape(openMetrics), out _);
                var ms = watch.Elapsed.TotalMilliseconds;
                var (lines, hash) = fixture.Describe(openMetrics);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {series:N0} | {(openMetrics ? "OpenMetrics" : "text 0.0.4")} | {size:N0} | {lines:N0} | {first:N0} | {second:N0} | {tenth:N0} | {ms:F1} | {hash} |"));
            }
        }
    }

    private static long Allocated(Func<int> scrape, out int size)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        size = scrape();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}
