using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Transaction = System.Transactions.Transaction;

namespace IncidentTelemetry.Database;

/// <summary>
/// A provider connection as handed out by <see cref="TelemetryDataSource"/>. It forwards every member to the
/// provider's connection and reports to its pool when an open starts, when the connection is handed over and
/// when it goes back (Close, Dispose, or the provider closing it, for example after
/// <see cref="CommandBehavior.CloseConnection"/>).
/// </summary>
internal sealed class TelemetryConnection : DbConnection
{
    private readonly DbConnection inner;
    private readonly ConnectionPoolState pool;
    private long handedOverTimestamp;
    private int handedOver;
    private bool disposed;
    private StateChangeEventHandler? innerStateChange;

    public TelemetryConnection(DbConnection inner, ConnectionPoolState pool)
    {
        this.inner = inner;
        this.pool = pool;
    }

    /// <summary>Forwarded from the provider's connection, with this connection as the sender.</summary>
    public override event StateChangeEventHandler? StateChange
    {
        add
        {
            base.StateChange += value;
            this.ListenToProviderStateChanges();
        }

        remove => base.StateChange -= value;
    }

    /// <summary>The provider's connection.</summary>
    public DbConnection Inner => this.inner;

    public ConnectionPoolState Pool => this.pool;

    [AllowNull]
    public override string ConnectionString
    {
        get => this.inner.ConnectionString;
        set => this.inner.ConnectionString = value;
    }

    public override int ConnectionTimeout => this.inner.ConnectionTimeout;

    public override string Database => this.inner.Database;

    public override string DataSource => this.inner.DataSource;

    public override string ServerVersion => this.inner.ServerVersion;

    public override ConnectionState State => this.inner.State;

    public override bool CanCreateBatch => this.inner.CanCreateBatch;

    protected override DbProviderFactory? DbProviderFactory => DbProviderFactories.GetFactory(this.inner);

    public override void Open()
    {
        var start = this.pool.OpenStarting();
        try
        {
            this.inner.Open();
        }
        catch (Exception ex)
        {
            this.pool.OpenFailed(ex);
            throw;
        }

        this.HandOver(this.pool.OpenSucceeded(start));
    }

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        var start = this.pool.OpenStarting();
        try
        {
            await this.inner.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            this.pool.OpenFailed(ex);
            throw;
        }

        this.HandOver(this.pool.OpenSucceeded(start));
    }

    public override void Close()
    {
        try
        {
            this.inner.Close();
        }
        finally
        {
            this.Return();
        }
    }

    public override async Task CloseAsync()
    {
        try
        {
            await this.inner.CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            this.Return();
        }
    }

    public override void ChangeDatabase(string databaseName) => this.inner.ChangeDatabase(databaseName);

    public override Task ChangeDatabaseAsync(string databaseName, CancellationToken cancellationToken = default)
        => this.inner.ChangeDatabaseAsync(databaseName, cancellationToken);

    public override void EnlistTransaction(Transaction? transaction) => this.inner.EnlistTransaction(transaction);

    public override DataTable GetSchema() => this.inner.GetSchema();

    public override DataTable GetSchema(string collectionName) => this.inner.GetSchema(collectionName);

    public override DataTable GetSchema(string collectionName, string?[] restrictionValues) => this.inner.GetSchema(collectionName, restrictionValues);

    public override Task<DataTable> GetSchemaAsync(CancellationToken cancellationToken = default) => this.inner.GetSchemaAsync(cancellationToken);

    public override Task<DataTable> GetSchemaAsync(string collectionName, CancellationToken cancellationToken = default)
        => this.inner.GetSchemaAsync(collectionName, cancellationToken);

    public override Task<DataTable> GetSchemaAsync(string collectionName, string?[] restrictionValues, CancellationToken cancellationToken = default)
        => this.inner.GetSchemaAsync(collectionName, restrictionValues, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (!this.disposed)
        {
            this.disposed = true;
            try
            {
                await this.inner.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                this.StopListening();
                this.Return();
            }
        }

        // Lets Component raise Disposed; Dispose(true) sees the flag and does not dispose the provider twice.
        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => this.inner.ToString() ?? base.ToString()!;

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => this.inner.BeginTransaction(isolationLevel);

    protected override ValueTask<DbTransaction> BeginDbTransactionAsync(IsolationLevel isolationLevel, CancellationToken cancellationToken)
        => this.inner.BeginTransactionAsync(isolationLevel, cancellationToken);

    protected override DbCommand CreateDbCommand() => new TelemetryCommand(this.inner.CreateCommand(), this);

    // The provider's own batch, bound to the provider's connection (a batch has no wrapper here).
    protected override DbBatch CreateDbBatch() => this.inner.CreateBatch();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !this.disposed)
        {
            this.disposed = true;
            try
            {
                this.inner.Dispose();
            }
            finally
            {
                this.StopListening();
                this.Return();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Follows the provider's state from now on, so that a close the provider does by itself (a reader opened with
    /// <see cref="CommandBehavior.CloseConnection"/>) returns the connection. Subscribed only when needed, so that
    /// the common open/close path allocates nothing but this wrapper.
    /// </summary>
    public void ListenToProviderStateChanges()
    {
        if (this.innerStateChange is null && !this.disposed)
        {
            this.innerStateChange = this.OnInnerStateChange;
            this.inner.StateChange += this.innerStateChange;
        }
    }

    private void StopListening()
    {
        if (this.innerStateChange is not null)
        {
            this.inner.StateChange -= this.innerStateChange;
            this.innerStateChange = null;
        }
    }

    private void HandOver(long now)
    {
        if (Interlocked.Exchange(ref this.handedOver, 1) == 0)
        {
            this.handedOverTimestamp = this.pool.ConnectionHandedOver(now);
        }
    }

    private void Return()
    {
        if (Interlocked.Exchange(ref this.handedOver, 0) == 1)
        {
            this.pool.ConnectionReturned(this.handedOverTimestamp);
        }
    }

    private void OnInnerStateChange(object sender, StateChangeEventArgs e)
    {
        if (e.CurrentState is ConnectionState.Closed or ConnectionState.Broken)
        {
            this.Return();
        }

        this.OnStateChange(e);
    }
}
