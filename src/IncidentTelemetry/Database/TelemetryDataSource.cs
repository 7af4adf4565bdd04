using System.Data.Common;
using IncidentTelemetry.Internal;

namespace IncidentTelemetry.Database;

/// <summary>
/// The decorator that <c>AddIncidentTelemetryDataSource</c> registers: hands out <see cref="TelemetryConnection"/>s over the
/// provider's connections and keeps one <see cref="ConnectionPoolState"/> registered with the meter while alive.
/// It owns the provider's data source and disposes it.
/// </summary>
internal sealed class TelemetryDataSource : DbDataSource
{
    private readonly DbDataSource inner;
    private readonly ConnectionPoolState pool;
    private int disposed;

    public TelemetryDataSource(DbDataSource inner, string poolName, DatabaseMetrics metrics)
    {
        this.inner = inner;

        var provider = DatabaseProvider.Other;
        int? max = null;
        try
        {
            provider = DatabaseProvider.FromDataSource(inner);
            max = PoolSizeParser.GetMaxPoolSize(inner.ConnectionString, provider);
        }
        catch (Exception ex)
        {
            // An unusual provider must not stop the app: the pool is then reported without a maximum.
            IncidentTelemetryEventSource.Log.CallbackFailed("connection pool provider detection", ex);
        }

        this.pool = new ConnectionPoolState(metrics, poolName, provider, max);
        metrics.Register(this.pool);
    }

    public override string ConnectionString => this.inner.ConnectionString;

    /// <summary>The provider's data source.</summary>
    public DbDataSource Inner => this.inner;

    public ConnectionPoolState Pool => this.pool;

    protected override DbConnection CreateDbConnection() => new TelemetryConnection(this.inner.CreateConnection(), this.pool);

    protected override DbConnection OpenDbConnection()
    {
        var connection = this.CreateDbConnection();
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    protected override async ValueTask<DbConnection> OpenDbConnectionAsync(CancellationToken cancellationToken = default)
    {
        var connection = this.CreateDbConnection();
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // The base class wraps CreateDbConnection().CreateCommand(), so a data-source command opens through the
    // decorated connection and is measured. Batches use the provider's own (not measured).
    protected override DbBatch CreateDbBatch() => this.inner.CreateBatch();

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref this.disposed, 1) == 0)
        {
            this.pool.Metrics.Unregister(this.pool);
            this.inner.Dispose();
        }

        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (Interlocked.Exchange(ref this.disposed, 1) == 0)
        {
            this.pool.Metrics.Unregister(this.pool);
            await this.inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsyncCore().ConfigureAwait(false);
    }
}
