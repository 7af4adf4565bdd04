using System.Buffers;
using System.Collections.Concurrent;
using IncidentTelemetry.Tests.Database;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Tests.Caching;

/// <summary>The decorator itself: payload bytes, failures, the buffer interface, the DI helper, bad names.</summary>
public sealed class DistributedCacheDecoratorTests
{
    private const string Meter = "IncidentTelemetry.Caching";

    [Fact]
    public async Task WithIncidentTelemetry_ReadWriteRefreshRemove_RecordsBytesAndOperationsForThisCache()
    {
        using var capture = new MeterCapture(Meter);
        var name = "orders-" + Guid.NewGuid().ToString("N")[..8];
        var cache = NewMemoryCache().WithTestTelemetry(name);

        await cache.SetAsync("k", new byte[3000], new DistributedCacheEntryOptions());
        Assert.Equal(3000, (await cache.GetAsync("k"))!.Length);
        Assert.Null(cache.Get("missing"));
        await cache.RefreshAsync("k");
        cache.Remove("k");

        var sizes = capture.Recorded(Meter, "incident.cache.payload.size").Where(m => m.Tag("incident.cache.name") == name).ToList();
        Assert.Equal([("write", 3000d), ("read", 3000d)], sizes.Select(m => (m.Tag("incident.cache.operation")!, m.Value)));
        var operations = capture.Recorded(Meter, "incident.cache.operation.duration").Where(m => m.Tag("incident.cache.name") == name).Select(m => m.Tag("incident.cache.operation"));
        Assert.Equal(["write", "read", "read", "refresh", "remove"], operations);
        Assert.All(capture.All.Where(m => m.Tag("incident.cache.name") == name), m => Assert.DoesNotContain("k", m.Tags.Values.Select(v => v as string)));
    }

    [Fact]
    public void WithIncidentTelemetry_InnerCacheThrows_SameExceptionRethrownAndErrorTypeRecorded()
    {
        using var capture = new MeterCapture(Meter);
        var name = "failing-" + Guid.NewGuid().ToString("N")[..8];
        var cache = NewMemoryCache().WithTestTelemetry(name);

        // The real MemoryDistributedCache refuses null options; the app must see exactly that.
        var thrown = Assert.Throws<ArgumentNullException>(() => cache.Set("k", [1, 2, 3], null!));

        Assert.Equal("options", thrown.ParamName);
        Assert.Contains(nameof(MemoryDistributedCache), thrown.StackTrace, StringComparison.Ordinal);
        var failed = Assert.Single(capture.Recorded(Meter, "incident.cache.operation.duration"), m => m.Tag("incident.cache.name") == name);
        Assert.Equal("write", failed.Tag("incident.cache.operation"));
        Assert.Equal(typeof(ArgumentNullException).FullName, failed.Tag("error.type"));
        Assert.DoesNotContain(capture.Recorded(Meter, "incident.cache.payload.size"), m => m.Tag("incident.cache.name") == name);
    }

    [Fact]
    public async Task WithIncidentTelemetry_InnerHasBufferInterface_KeptAndBytesCounted()
    {
        using var capture = new MeterCapture(Meter);
        var name = "buffers-" + Guid.NewGuid().ToString("N")[..8];
        var decorated = new BufferCache().WithTestTelemetry(name);

        var buffers = Assert.IsAssignableFrom<IBufferDistributedCache>(decorated);
        await buffers.SetAsync("k", new ReadOnlySequence<byte>(new byte[5000]), new DistributedCacheEntryOptions());
        var destination = new ArrayBufferWriter<byte>();
        Assert.True(buffers.TryGet("k", destination));
        Assert.Equal(5000, destination.WrittenCount);
        Assert.False(await buffers.TryGetAsync("nothing", new ArrayBufferWriter<byte>()));

        var sizes = capture.Recorded(Meter, "incident.cache.payload.size").Where(m => m.Tag("incident.cache.name") == name);
        Assert.Equal([("write", 5000d), ("read", 5000d)], sizes.Select(m => (m.Tag("incident.cache.operation")!, m.Value)));
        Assert.IsNotAssignableFrom<IBufferDistributedCache>(NewPlainCache().WithTestTelemetry(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Sessions")]
    [InlineData("redis=10.0.0.1;password=x")]
    [InlineData("user@example.com")]
    public void WithIncidentTelemetry_NameNotAShortToken_ThrowsNamingTheLabel(string name)
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
