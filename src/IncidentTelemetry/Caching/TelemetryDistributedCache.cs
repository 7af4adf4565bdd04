using System.Diagnostics;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.Caching.Distributed;

namespace IncidentTelemetry.Caching;

/// <summary>
/// The decorator that <c>AddIncidentTelemetryDistributedCache</c> and the session store put over the app's cache:
/// forwards every call to it and records, on <see cref="CacheMetrics"/>, the payload bytes of reads and writes and the
/// duration of every operation. A failure of the inner cache is recorded with <c>error.type</c> and rethrown unchanged.
/// When nobody listens, calls go straight through. Tags are computed once per cache; a measured call allocates nothing
/// beyond what the inner cache does.
/// </summary>
/// <remarks>
/// Close to 300 lines on purpose: the eight members of <see cref="IDistributedCache"/>, each forwarded with its
/// measurement next to its sync or async twin, and the two helpers they share; the buffer members are in
/// <see cref="TelemetryBufferDistributedCache"/>.
/// </remarks>
internal class TelemetryDistributedCache : IDistributedCache, IDisposable, IAsyncDisposable
{
    private readonly TagList[] operationTags;
    private readonly bool ownsInner;
    private int disposed;

    protected TelemetryDistributedCache(IDistributedCache inner, string cacheName, CacheMetrics metrics, bool ownsInner)
    {
        this.Inner = inner;
        this.CacheName = cacheName;
        this.Metrics = metrics;
        this.ownsInner = ownsInner;
        this.operationTags =
        [
            Tags(cacheName, "read"),
            Tags(cacheName, "write"),
            Tags(cacheName, "refresh"),
            Tags(cacheName, "remove"),
        ];
    }

    /// <summary>The app's cache.</summary>
    public IDistributedCache Inner { get; }

    public string CacheName { get; }

    protected CacheMetrics Metrics { get; }

    private bool Enabled => this.Metrics.OperationDuration.Enabled || this.Metrics.PayloadSize.Enabled;

    /// <summary>Decorates <paramref name="inner"/>, keeping <see cref="IBufferDistributedCache"/> when it has it.</summary>
    public static TelemetryDistributedCache Create(IDistributedCache inner, string cacheName, CacheMetrics metrics, bool ownsInner = false)
        => inner is IBufferDistributedCache
            ? new TelemetryBufferDistributedCache(inner, cacheName, metrics, ownsInner)
            : new TelemetryDistributedCache(inner, cacheName, metrics, ownsInner);

    public byte[]? Get(string key)
    {
        if (!this.Enabled)
        {
            return this.Inner.Get(key);
        }

        var start = this.Start();
        byte[]? value;
        try
        {
            value = this.Inner.Get(key);
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Read, start, ex);
            throw;
        }

        this.Succeeded(CacheOperation.Read, start, value?.Length ?? -1);
        return value;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        => this.Enabled ? this.MeasuredGetAsync(key, token) : this.Inner.GetAsync(key, token);

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        if (!this.Enabled)
        {
            this.Inner.Set(key, value, options);
            return;
        }

        var start = this.Start();
        try
        {
            this.Inner.Set(key, value, options);
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Write, start, ex);
            throw;
        }

        this.Succeeded(CacheOperation.Write, start, value?.Length ?? -1);
    }

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        => this.Enabled ? this.MeasuredSetAsync(key, value, options, token) : this.Inner.SetAsync(key, value, options, token);

    public void Refresh(string key) => this.KeyOnly(CacheOperation.Refresh, key);

    public Task RefreshAsync(string key, CancellationToken token = default)
        => this.Enabled ? this.MeasuredKeyOnlyAsync(CacheOperation.Refresh, key, token) : this.Inner.RefreshAsync(key, token);

    public void Remove(string key) => this.KeyOnly(CacheOperation.Remove, key);

    public Task RemoveAsync(string key, CancellationToken token = default)
        => this.Enabled ? this.MeasuredKeyOnlyAsync(CacheOperation.Remove, key, token) : this.Inner.RemoveAsync(key, token);

    public void Dispose()
    {
        if (this.ownsInner && Interlocked.Exchange(ref this.disposed, 1) == 0 && this.Inner is IDisposable disposable)
        {
            disposable.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    public async ValueTask DisposeAsync()
    {
        if (this.ownsInner && Interlocked.Exchange(ref this.disposed, 1) == 0)
        {
            if (this.Inner is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (this.Inner is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A timestamp when duration is measured, else 0.</summary>
    protected long Start() => this.Metrics.OperationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Records a successful operation; <paramref name="payloadBytes"/> below 0 means "no payload" (a miss, a remove).</summary>
    protected void Succeeded(CacheOperation operation, long start, long payloadBytes)
    {
        try
        {
            ref readonly var tags = ref this.operationTags[(int)operation];
            if (start != 0)
            {
                this.Metrics.OperationDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, in tags);
            }

            if (payloadBytes >= 0)
            {
                this.Metrics.PayloadSize.Record(payloadBytes, in tags);
            }
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(MetricsConstants.CacheMeterName + " measurement", ex);
        }
    }

    /// <summary>Records a failed operation with <c>error.type</c>; the caller rethrows the exception unchanged.</summary>
    protected void Failed(CacheOperation operation, long start, Exception exception)
    {
        if (start == 0)
        {
            return;
        }

        try
        {
            var tags = this.operationTags[(int)operation];
            tags.Add(MetricsConstants.ErrorTypeAttribute, exception.GetType().FullName);
            this.Metrics.OperationDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, in tags);
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(MetricsConstants.CacheOperationDurationInstrument, ex);
        }
    }

    private static TagList Tags(string cacheName, string operation)
        => new() { { CacheMetrics.NameAttribute, cacheName }, { CacheMetrics.OperationAttribute, operation } };

    // Not an async method: a cache that answers synchronously (in memory, or a value already buffered) gets its own
    // completed task back, so the decorator adds no Task allocation to such a read.
    private Task<byte[]?> MeasuredGetAsync(string key, CancellationToken token)
    {
        var start = this.Start();
        Task<byte[]?> call;
        try
        {
            call = this.Inner.GetAsync(key, token);
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Read, start, ex);
            return Task.FromException<byte[]?>(ex);
        }

        if (call.IsCompletedSuccessfully)
        {
            this.Succeeded(CacheOperation.Read, start, call.Result?.Length ?? -1);
            return call;
        }

        return this.AwaitGetAsync(call, start);
    }

    private async Task<byte[]?> AwaitGetAsync(Task<byte[]?> call, long start)
    {
        byte[]? value;
        try
        {
            value = await call.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Read, start, ex);
            throw;
        }

        this.Succeeded(CacheOperation.Read, start, value?.Length ?? -1);
        return value;
    }

    private async Task MeasuredSetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token)
    {
        var start = this.Start();
        try
        {
            await this.Inner.SetAsync(key, value, options, token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            this.Failed(CacheOperation.Write, start, ex);
            throw;
        }

        this.Succeeded(CacheOperation.Write, start, value?.Length ?? -1);
    }

    /// <summary>Refresh or Remove: an operation with a key and no payload.</summary>
    private void KeyOnly(CacheOperation operation, string key)
    {
        if (!this.Enabled)
        {
            this.CallKeyOnly(operation, key);
            return;
        }

        var start = this.Start();
        try
        {
            this.CallKeyOnly(operation, key);
        }
        catch (Exception ex)
        {
            this.Failed(operation, start, ex);
            throw;
        }

        this.Succeeded(operation, start, -1);
    }

    private void CallKeyOnly(CacheOperation operation, string key)
    {
        if (operation == CacheOperation.Refresh)
        {
            this.Inner.Refresh(key);
        }
        else
        {
            this.Inner.Remove(key);
        }
    }

    private async Task MeasuredKeyOnlyAsync(CacheOperation operation, string key, CancellationToken token)
    {
        var start = this.Start();
        try
        {
            var call = operation == CacheOperation.Refresh ? this.Inner.RefreshAsync(key, token) : this.Inner.RemoveAsync(key, token);
            await call.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            this.Failed(operation, start, ex);
            throw;
        }

        this.Succeeded(operation, start, -1);
    }
}
