using System.Diagnostics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// Runs one hot-path benchmark operation in a loop for a while, outside BenchmarkDotNet, so that a profiler can
/// sample it: <c>dotnet-trace collect --profile dotnet-sampled-thread-time -- dotnet IncidentTelemetry.Benchmarks.dll
/// profile-loop pool 10</c> (operations: pool, pool-bare, cache-get). Prints the mean time per operation, which is only a sanity check (the numbers in
/// docs/performance.md come from BenchmarkDotNet).
/// </summary>
internal static class ProfileLoop
{
    public static void Run(string operation, TimeSpan duration)
    {
        Action run;
        Action cleanup;
        switch (operation)
        {
            case "pool" or "pool-bare":
                var pool = new ConnectionPoolBenchmarks { Listening = true };
                pool.Setup();
                run = operation == "pool" ? pool.OpenClose_Decorated : pool.OpenClose_Bare;
                cleanup = pool.Cleanup;
                break;
            case "cache-get":
                var cache = new CacheBenchmarks();
                cache.Setup();
                run = () => cache.Get_Decorated();
                cleanup = cache.Dispose;
                break;
            default:
                throw new ArgumentException($"profile-loop: unknown operation '{operation}' (pool, pool-bare, cache-get).", nameof(operation));
        }

        var watch = Stopwatch.StartNew();
        long count = 0;
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 1000; i++)
            {
                run();
            }

            count += 1000;
        }

        Console.WriteLine($"{operation}: {count} operations, {watch.Elapsed.TotalNanoseconds / count:F1} ns each");
        cleanup();
    }
}
