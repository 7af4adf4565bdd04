using System.Data.Common;
using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Database;

[Collection(nameof(RunsAlone))] // other tests' listeners would allocate on this thread while it measures
public sealed class DecoratorAllocationTests(ITestOutputHelper output)
{
    private const int Iterations = 500;

    [Fact]
    public void OpenClose_InstrumentsEnabled_AllocatesOnlyTheWrapperBeyondTheProvider()
    {
        using var directory = new TempDirectory("it-alloc-");
        var connectionString = $"Data Source={directory.Combine("alloc.db")}";

        // A raw MeterListener with empty callbacks, not a MetricCollector: the collector keeps every measurement
        // (an allocation each), and this test measures the bytes the decorator itself allocates.
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MetricsConstants.DatabaseMeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        listener.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        listener.Start();

        using var raw = SqliteFactory.Instance.CreateDataSource(connectionString);
        using var decorated = SqliteFactory.Instance.CreateDataSource(connectionString).WithTestTelemetry("alloc-db");
        var perRaw = Measure(raw);
        var perDecorated = Measure(decorated);
        output.WriteLine($"bytes per open/close: provider {perRaw}, decorated {perDecorated}, difference {perDecorated - perRaw}");

        // The TelemetryConnection object is about 80 bytes; timestamps, tags and records allocate nothing.
        Assert.InRange(perDecorated - perRaw, 0, 128);
        SqliteConnection.ClearAllPools();
    }

    private static long Measure(DbDataSource dataSource)
    {
        for (var i = 0; i < 50; i++)
        {
            OpenClose(dataSource);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            OpenClose(dataSource);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / Iterations;
    }

    private static void OpenClose(DbDataSource dataSource)
    {
        using var connection = dataSource.CreateConnection();
        connection.Open();
        connection.Close();
    }
}
