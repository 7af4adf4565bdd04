using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Caching;

/// <summary>The measured paths allocate nothing of their own.</summary>
[Collection(nameof(RunsAlone))] // other tests' listeners would allocate on this thread while it measures
public sealed class CacheAllocationTests(ITestOutputHelper output)
{
    private const int Iterations = 1000;

    [Fact]
    public void GetSet_InstrumentsEnabled_NoAllocationBeyondTheInnerCache()
    {
        using var listener = Listen(MetricsConstants.CacheMeterName);
        var raw = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var decorated = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions())).WithTestTelemetry("alloc-cache");
        var value = new byte[1024];
        var options = new DistributedCacheEntryOptions();

        var perRaw = Measure(() =>
        {
            raw.Set("k", value, options);
            _ = raw.Get("k");
        });
        var perDecorated = Measure(() =>
        {
            decorated.Set("k", value, options);
            _ = decorated.Get("k");
        });
        output.WriteLine($"bytes per set+get: inner {perRaw}, decorated {perDecorated}");

        Assert.InRange(perDecorated - perRaw, -16, 16);
    }

    [Fact]
    public void RecordAttempt_InstrumentEnabled_AllocatesNothing()
    {
        using var listener = Listen(MetricsConstants.LoginMeterName);
        var services = new ServiceCollection();
        services.AddMetrics();
        IncidentTelemetryHostingExtensions.AddSignalServices(services);
        using var provider = services.BuildServiceProvider();
        var telemetry = provider.GetRequiredService<ILoginTelemetry>();

        var perCall = Measure(() => telemetry.RecordAttempt(LoginResult.Failure, "password"));
        output.WriteLine($"bytes per RecordAttempt: {perCall}");

        Assert.Equal(0, perCall);
    }

    /// <summary>
    /// A raw MeterListener with empty callbacks, not a MetricCollector: the collector keeps every measurement (an
    /// allocation each), and these tests measure the bytes the decorators themselves allocate.
    /// </summary>
    private static MeterListener Listen(string meterName)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == meterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        listener.Start();
        return listener;
    }

    private static long Measure(Action action)
    {
        for (var i = 0; i < 100; i++)
        {
            action();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Iterations;
    }
}
