using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Tests.Caching;

/// <summary>The decorator itself: payload bytes, failures, the buffer interface, the DI helper, bad names.</summary>
public sealed class DistributedCacheDecoratorTests
{
    private const string Meter = "IncidentTelemetry.Caching";

    [Fact]
    public async Task AddIncidentTelemetryDistributedCache_ReadWriteRefreshRemove_RecordsBytesAndOperationsForThisCache()
    {
        const string name = "orders";
        using var services = Decorate(NewMemoryCache(), name);
        using var sizes = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), Meter, "incident.cache.payload.size");
        using var durations = new MetricCollector<double>(services.GetRequiredService<IMeterFactory>(), Meter, "incident.cache.operation.duration");
        var cache = services.GetRequiredService<IDistributedCache>();

        await cache.SetAsync("k", new byte[3000], new DistributedCacheEntryOptions());
        Assert.Equal(3000, (await cache.GetAsync("k"))!.Length);
        Assert.Null(cache.Get("missing"));
        await cache.RefreshAsync("k");
        cache.Remove("k");

        var written = sizes.GetMeasurementSnapshot();
        Assert.Equal([("write", 3000L), ("read", 3000L)], written.Select(m => ((string)m.Tags["incident.cache.operation"]!, m.Value)));
        var operations = durations.GetMeasurementSnapshot();
        Assert.Equal(["write", "read", "read", "refresh", "remove"], operations.Select(m => (string)m.Tags["incident.cache.operation"]!));
        Assert.All(written.Select(m => m.Tags).Concat(operations.Select(m => m.Tags)), tags =>
        {
            Assert.Equal(name, tags["incident.cache.name"]);
            Assert.DoesNotContain("k", tags.Values.Select(v => v as string));
        });
    }

    [Fact]
    public void AddIncidentTelemetryDistributedCache_InnerCacheThrows_SameExceptionRethrownAndErrorTypeRecorded()
    {
        using var services = Decorate(NewMemoryCache(), "failing");
        using var durations = new MetricCollector<double>(services.GetRequiredService<IMeterFactory>(), Meter, "incident.cache.operation.duration");
        using var sizes = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), Meter, "incident.cache.payload.size");
        var cache = services.GetRequiredService<IDistributedCache>();

        // The real MemoryDistributedCache refuses null options; the app must see exactly that.
        var thrown = Assert.Throws<ArgumentNullException>(() => cache.Set("k", [1, 2, 3], null!));

        Assert.Equal("options", thrown.ParamName);
        Assert.Contains(nameof(MemoryDistributedCache), thrown.StackTrace, StringComparison.Ordinal);
        var failed = Assert.Single(durations.GetMeasurementSnapshot());
        Assert.Equal("failing", failed.Tags["incident.cache.name"]);
        Assert.Equal("write", failed.Tags["incident.cache.operation"]);
        Assert.Equal(typeof(ArgumentNullException).FullName, failed.Tags["error.type"]);
        Assert.Empty(sizes.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task AddIncidentTelemetryDistributedCache_InnerHasBufferInterface_KeptAndBytesCounted()
    {
        const string name = "buffers";
        using var services = Decorate(new BufferCache(), name);
        using var sizes = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), Meter, "incident.cache.payload.size");
        var decorated = services.GetRequiredService<IDistributedCache>();

        var buffers = Assert.IsAssignableFrom<IBufferDistributedCache>(decorated);
        await buffers.SetAsync("k", new ReadOnlySequence<byte>(new byte[5000]), new DistributedCacheEntryOptions());
        var destination = new ArrayBufferWriter<byte>();
        Assert.True(buffers.TryGet("k", destination));
        Assert.Equal(5000, destination.WrittenCount);
        Assert.False(await buffers.TryGetAsync("nothing", new ArrayBufferWriter<byte>()));

        Assert.Equal([("write", 5000L), ("read", 5000L)], sizes.GetMeasurementSnapshot().Select(m => ((string)m.Tags["incident.cache.operation"]!, m.Value)));
        using var plain = Decorate(NewPlainCache(), name);
        Assert.IsNotAssignableFrom<IBufferDistributedCache>(plain.GetRequiredService<IDistributedCache>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("sessions:6379")]
    [InlineData("redis=10.0.0.1;password=x")]
    [InlineData("user@example.com")]
    public void AddIncidentTelemetryDistributedCache_NameNotAShortToken_ThrowsNamingTheLabel(string name)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new ServiceCollection().AddDistributedMemoryCache().AddIncidentTelemetryDistributedCache(name));
        Assert.Equal("cacheName", error.ParamName);
    }

    [Fact]
    public void AddIncidentTelemetryDistributedCache_AfterMemoryCache_ResolvesDecoratedCacheSessionStoreReusesIt()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDistributedMemoryCache();
        services.AddIncidentTelemetryDistributedCache("shared-cache");
        IncidentTelemetryHostingExtensions.AddSignalServices(services);
        using var provider = services.BuildServiceProvider();

        var cache = provider.GetRequiredService<IDistributedCache>();
        var decorated = Assert.IsType<IncidentTelemetry.Caching.TelemetryDistributedCache>(cache, exactMatch: false);
        Assert.Equal("shared-cache", decorated.CacheName);
        Assert.IsType<MemoryDistributedCache>(decorated.Inner);
        Assert.Same(cache, provider.GetRequiredService<IncidentTelemetry.Caching.SessionCache>().Cache);
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddIncidentTelemetryDistributedCache("x"));
    }

    /// <summary>A container with <paramref name="inner"/> decorated by <c>AddIncidentTelemetryDistributedCache</c>; collectors bound to its IMeterFactory see only this cache.</summary>
    private static ServiceProvider Decorate(IDistributedCache inner, string name)
        => new ServiceCollection().AddSingleton(inner).AddIncidentTelemetryDistributedCache(name).BuildServiceProvider();

    private static MemoryDistributedCache NewMemoryCache() => new(Options.Create(new MemoryDistributedCacheOptions()));

    private static PlainCache NewPlainCache() => new();

    /// <summary>A dictionary cache with only the byte[] interface.</summary>
    private class PlainCache : IDistributedCache
    {
        protected ConcurrentDictionary<string, byte[]> Entries { get; } = new();

        public byte[]? Get(string key) => this.Entries.TryGetValue(key, out var v) ? v : null;

        public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => Task.FromResult(this.Get(key));

        public void Refresh(string key)
        {
        }

        public Task RefreshAsync(string key, CancellationToken token = default) => Task.CompletedTask;

        public void Remove(string key) => this.Entries.TryRemove(key, out _);

        public Task RemoveAsync(string key, CancellationToken token = default)
        {
            this.Remove(key);
            return Task.CompletedTask;
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => this.Entries[key] = value;

        public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            this.Set(key, value, options);
            return Task.CompletedTask;
        }
    }

    /// <summary>The same with the buffer interface, as HybridCache's L2 caches have it.</summary>
    private sealed class BufferCache : PlainCache, IBufferDistributedCache
    {
        public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options) => this.Entries[key] = value.ToArray();

        public ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            this.Set(key, value, options);
            return ValueTask.CompletedTask;
        }

        public bool TryGet(string key, IBufferWriter<byte> destination)
        {
            if (!this.Entries.TryGetValue(key, out var value))
            {
                return false;
            }

            destination.Write(value);
            return true;
        }

        public ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
            => ValueTask.FromResult(this.TryGet(key, destination));
    }
}
