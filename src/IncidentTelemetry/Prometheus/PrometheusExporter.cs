using IncidentTelemetry.Internal;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>One serialized scrape, shared by concurrent requests; its buffer returns to the pool after the last reader.</summary>
internal sealed class ScrapeResult
{
    private readonly ExpositionBuffer buffer;
    private int references = 1;

    public ScrapeResult(ExpositionBuffer buffer, DateTime collectedAt)
    {
        this.buffer = buffer;
        this.CollectedAt = collectedAt;
    }

    public DateTime CollectedAt { get; }

    public ReadOnlyMemory<byte> Content => this.buffer.Written;

    public bool TryAddReader()
    {
        while (true)
        {
            var current = Volatile.Read(ref this.references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref this.references, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref this.references) == 0)
        {
            this.buffer.Dispose();
        }
    }
}

/// <summary>
/// A pull exporter on OpenTelemetry's public API: the reader sets <see cref="Collect"/>; a scrape calls it,
/// and the SDK hands the metrics to <see cref="Export"/> on the same thread, where they are serialized.
/// One collection runs at a time; a result younger than the cache duration answers further scrapes.
/// </summary>
[ExportModes(ExportModes.Pull)]
internal sealed class PrometheusExporter : BaseExporter<Metric>, IPullMetricExporter
{
    private readonly SemaphoreSlim collecting = new(1, 1);
    private readonly PrometheusSerializer serializer = new();
    private readonly List<Metric> batch = [];
    private readonly TimeSpan cacheDuration;
    private readonly ScrapeResult?[] cached = new ScrapeResult?[2];
    private readonly int[] lastLength = new int[2];
    private ExpositionBuffer? target;
    private bool targetOpenMetrics;
    private bool disposed;

    public PrometheusExporter(TimeSpan cacheDuration)
    {
        this.cacheDuration = cacheDuration;
    }

    /// <summary>Set by the metric reader: collects every metric and calls <see cref="Export"/>.</summary>
    public Func<int, bool>? Collect { get; set; }

    /// <summary>
    /// Returns a serialized scrape in the requested format, collecting only when the cached one is older
    /// than the cache duration. The caller must <see cref="ScrapeResult.Release"/> it.
    /// </summary>
    public async Task<ScrapeResult> ScrapeAsync(bool openMetrics, CancellationToken token)
    {
        var slot = openMetrics ? 1 : 0;
        if (this.TryCached(slot) is { } fresh)
        {
            return fresh;
        }

        await this.collecting.WaitAsync(token);
        try
        {
            if (this.TryCached(slot) is { } again)
            {
                return again;
            }

            var collect = this.Collect ?? throw new InvalidOperationException("The Prometheus exporter is not attached to a MeterProvider.");

            // The cached result is stale: let go of it first, so that its buffer goes back to the pool (unless
            // a scrape is still sending it) and this collection can rent the same array again.
            var stale = this.cached[slot];
            Volatile.Write(ref this.cached[slot], null);
            stale?.Release();

            // Rent what the last scrape of this format wrote (the pool rounds up to a power of two, which leaves
            // room for growth without doubling the memory kept): growing means copying.
            var last = this.lastLength[slot];
            var buffer = last > 0 ? new ExpositionBuffer(last + 4096) : new ExpositionBuffer();
            this.target = buffer;
            this.targetOpenMetrics = openMetrics;
            bool collected;
            try
            {
                collected = collect(Timeout.Infinite);
            }
            finally
            {
                this.target = null;
            }

            if (!collected)
            {
                buffer.Dispose();
                throw new InvalidOperationException("The MeterProvider did not collect (it may be shutting down).");
            }

            this.lastLength[slot] = buffer.Length;
            var result = new ScrapeResult(buffer, DateTime.UtcNow);
            result.TryAddReader(); // the caller's reference; the cache keeps the first one
            Volatile.Write(ref this.cached[slot], result);
            return result;
        }
        finally
        {
            this.collecting.Release();
        }
    }

    public override ExportResult Export(in Batch<Metric> metrics)
    {
        var buffer = this.target;
        if (buffer is null)
        {
            return ExportResult.Failure;
        }

        try
        {
            this.batch.Clear();
            foreach (var metric in metrics)
            {
                this.batch.Add(metric);
            }

            this.serializer.Write(buffer, this.batch, this.ParentProvider.GetResource(), this.targetOpenMetrics);
            return ExportResult.Success;
        }
#pragma warning disable CA1031 // A scrape must never take the host down; the failure is reported and the scrape fails.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            IncidentTelemetryEventSource.Log.ScrapeFailed(ex.GetType().FullName ?? ex.GetType().Name);
            buffer.Reset();
            return ExportResult.Failure;
        }
        finally
        {
            this.batch.Clear();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !this.disposed)
        {
            this.disposed = true;
            foreach (var result in this.cached)
            {
                result?.Release();
            }

            this.collecting.Dispose();
            this.serializer.Dispose();
        }

        base.Dispose(disposing);
    }

    private ScrapeResult? TryCached(int slot)
    {
        var result = Volatile.Read(ref this.cached[slot]);
        if (result is not null && DateTime.UtcNow - result.CollectedAt < this.cacheDuration && result.TryAddReader())
        {
            return result;
        }

        return null;
    }
}
