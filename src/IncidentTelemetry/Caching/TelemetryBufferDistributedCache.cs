using System.Buffers;
using Microsoft.Extensions.Caching.Distributed;

namespace IncidentTelemetry.Caching;

/// <summary>
/// The decorator for caches that also implement <see cref="IBufferDistributedCache"/> (so that HybridCache and other
/// callers keep the buffer path): reads are measured by counting the bytes the inner cache writes to the destination.
/// </summary>
/// <remarks>
/// Each sync member and its async twin repeat the same try/catch/finally on purpose: sharing one body would mean a
/// sync-over-async wait or a delegate per call on the read path; what they share (recording) is in the base class.
/// </remarks>
internal sealed class TelemetryBufferDistributedCache : TelemetryDistributedCache, IBufferDistributedCache
{
    private readonly IBufferDistributedCache buffers;

    public TelemetryBufferDistributedCache(IDistributedCache inner, string cacheName, CacheMetrics metrics, bool ownsInner)
        : base(inner, cacheName, metrics, ownsInner)
    {
        this.buffers = (IBufferDistributedCache)inner;
    }

    public bool TryGet(string key, IBufferWriter<byte> destination)
    {
        var start = this.Start();
        var counting = this.Metrics.PayloadSize.Enabled ? CountingBufferWriter.Rent(destination) : null;
        try
        {
            var found = this.buffers.TryGet(key, (IBufferWriter<byte>?)counting ?? destination);
            this.Succeeded(CacheOperation.Read, start, found && counting is not null ? counting.Written : -1);
            return found;
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Read, start, ex);
            throw;
        }
        finally
        {
            CountingBufferWriter.Return(counting);
        }
    }

    public async ValueTask<bool> TryGetAsync(string key, IBufferWriter<byte> destination, CancellationToken token = default)
    {
        var start = this.Start();
        var counting = this.Metrics.PayloadSize.Enabled ? CountingBufferWriter.Rent(destination) : null;
        try
        {
            var found = await this.buffers.TryGetAsync(key, (IBufferWriter<byte>?)counting ?? destination, token).ConfigureAwait(false);
            this.Succeeded(CacheOperation.Read, start, found && counting is not null ? counting.Written : -1);
            return found;
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Read, start, ex);
            throw;
        }
        finally
        {
            CountingBufferWriter.Return(counting);
        }
    }

    public void Set(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options)
    {
        var start = this.Start();
        try
        {
            this.buffers.Set(key, value, options);
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Write, start, ex);
            throw;
        }

        this.Succeeded(CacheOperation.Write, start, value.Length);
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var start = this.Start();
        try
        {
            await this.buffers.SetAsync(key, value, options, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Write, start, ex);
            throw;
        }

        this.Succeeded(CacheOperation.Write, start, value.Length);
    }

    /// <summary>Forwards to the caller's writer and counts what was written; one instance is reused per thread.</summary>
    private sealed class CountingBufferWriter : IBufferWriter<byte>
    {
        [ThreadStatic]
        private static CountingBufferWriter? cached;

        private IBufferWriter<byte>? inner;

        public long Written { get; private set; }

        public static CountingBufferWriter Rent(IBufferWriter<byte> destination)
        {
            var writer = cached ?? new CountingBufferWriter();
            cached = null;
            writer.inner = destination;
            writer.Written = 0;
            return writer;
        }

        public static void Return(CountingBufferWriter? writer)
        {
            if (writer is not null)
            {
                writer.inner = null;
                cached = writer;
            }
        }

        public void Advance(int count)
        {
            this.inner!.Advance(count);
            this.Written += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => this.inner!.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => this.inner!.GetSpan(sizeHint);
    }
}
