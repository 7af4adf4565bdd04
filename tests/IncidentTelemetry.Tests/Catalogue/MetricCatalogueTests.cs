using System.Diagnostics.Metrics;
using IncidentTelemetry.Authentication;
using IncidentTelemetry.Caching;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Database;
using IncidentTelemetry.Process;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Tests.Catalogue;

/// <summary>The catalogue's own consistency, and the library's instruments created from it.</summary>
public sealed class MetricCatalogueTests
{
    [Fact]
    public void All_SeriesNames_UniqueAcrossFamilies()
    {
        var series = MetricCatalogue.All.SelectMany(f => f.SeriesNames).ToList();

        Assert.Equal(series.Count, series.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(MetricCatalogue.All.Count, MetricCatalogue.All.Select(f => f.Instrument ?? f.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void All_FamiliesOfMeters_HaveInstrumentUnitAndDescription()
    {
        Assert.All(MetricCatalogue.All.Where(f => f.Meters.Count > 0), f =>
        {
            Assert.False(string.IsNullOrEmpty(f.Instrument), f.Name);
            Assert.False(string.IsNullOrEmpty(f.Unit), f.Name);
            Assert.False(string.IsNullOrWhiteSpace(f.Description), f.Name);
            Assert.Null(f.Origin);
        });
        Assert.All(MetricCatalogue.All.Where(f => f.Meters.Count == 0), f => Assert.False(string.IsNullOrEmpty(f.Origin), f.Name));
    }

    [Fact]
    public void All_SecondsHistograms_HaveTheLatencyBucketsAndEveryAlertThresholdAsABound()
    {
        var seconds = MetricCatalogue.All.Where(f => f.Type == MetricType.Histogram && f.Unit == "s").ToList();

        Assert.NotEmpty(seconds);
        Assert.All(seconds, f => Assert.Equal(HistogramBuckets.Latency, f.Buckets));
        Assert.Equal(HistogramBuckets.Size, MetricCatalogue.CachePayloadSize.Buckets);

        // The incident reviews' thresholds (docs/incidents.md): histogram_quantile is exact at a bucket bound.
        Assert.All(new[] { 0.1, 0.5, 1, 2 }, threshold => Assert.Contains(threshold, HistogramBuckets.Latency));
    }

    [Fact]
    public void Labels_FromAttributes_AreTheAttributeWithDotsAsUnderscores()
    {
        var labels = MetricCatalogue.All.SelectMany(f => f.Labels).Where(l => l.Attribute is not null).Distinct().ToList();

        Assert.Contains(labels, l => l.Name == "db_client_connection_pool_name" && l.Attribute == "db.client.connection.pool.name");
        Assert.All(labels, l => Assert.Equal(l.Attribute!.Replace('.', '_'), l.Name));
    }

    [Theory]
    [InlineData("db.client.connection.timeouts", "{timeout}", "Counter", "db_client_connection_timeouts_total")]
    [InlineData("db.client.connection.count", "{connection}", "Gauge", "db_client_connection_count")]
    [InlineData("process.uptime", "s", "Gauge", "process_uptime_seconds")]
    [InlineData("incident.cache.payload.size", "By", "Histogram", "incident_cache_payload_size_bytes")]
    [InlineData("dotnet.process.memory.working_set", "By", "Gauge", "dotnet_process_memory_working_set_bytes")]
    [InlineData("aspnetcore.identity.sign_in.check_password_attempts", "{attempt}", "Counter", "aspnetcore_identity_sign_in_check_password_attempts_total")]
    [InlineData("already.total", "{x}", "Counter", "already_total")]
    [InlineData("already.seconds", "s", "Histogram", "already_seconds")]
    public void MetricName_InstrumentUnitAndType_NamedAsTheExporterNamesThem(string instrument, string unit, string type, string expected)
    {
        Assert.Equal(expected, PrometheusNaming.MetricName(instrument, unit, Enum.Parse<MetricType>(type)));
    }

    [Fact]
    public void Instruments_LibraryMeters_NameUnitAndDescriptionFromTheCatalogue()
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();

        // Only this factory's meters: other tests create the same meters in parallel.
        var published = new List<Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    lock (published)
                    {
                        published.Add(instrument);
                    }
                }
            },
        };
        listener.Start();

        _ = new DatabaseMetrics(factory);
        _ = new CacheMetrics(factory);
        using var login = new LoginMetrics(factory);
        using var process = new ProcessMetrics(factory);

        Assert.Equal(12, published.Count);
        foreach (var instrument in published)
        {
            var family = Assert.Single(MetricCatalogue.All, f => f.Instrument == instrument.Name);
            Assert.Contains(instrument.Meter.Name, family.Meters);
            Assert.Equal(family.Unit, instrument.Unit);
            Assert.Equal(family.Description, instrument.Description);
        }
    }
}
