using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace IncidentTelemetry.Database;

/// <summary>
/// A provider command whose <see cref="DbCommand.Connection"/> is the decorated connection. It times each
/// execution as <c>db.client.operation.duration</c> for providers that do not report it themselves; for the
/// others (Npgsql) it only forwards.
/// </summary>
internal sealed class TelemetryCommand : DbCommand
{
    private readonly DbCommand inner;
    private TelemetryConnection? connection;
    private bool disposed;

    public TelemetryCommand(DbCommand inner, TelemetryConnection? connection)
    {
        this.inner = inner;
        this.connection = connection;
    }

    [AllowNull]
    public override string CommandText
    {
        get => this.inner.CommandText;
        set => this.inner.CommandText = value;
    }

    public override int CommandTimeout
    {
        get => this.inner.CommandTimeout;
        set => this.inner.CommandTimeout = value;
    }

    public override CommandType CommandType
    {
        get => this.inner.CommandType;
        set => this.inner.CommandType = value;
    }

    public override bool DesignTimeVisible
    {
        get => this.inner.DesignTimeVisible;
        set => this.inner.DesignTimeVisible = value;
    }

    public override UpdateRowSource UpdatedRowSource
    {
        get => this.inner.UpdatedRowSource;
        set => this.inner.UpdatedRowSource = value;
    }

    protected override DbConnection? DbConnection
    {
        get => this.connection is not null && ReferenceEquals(this.inner.Connection, this.connection.Inner) ? this.connection : this.inner.Connection;
        set
        {
            if (value is TelemetryConnection decorated)
            {
                this.inner.Connection = decorated.Inner;
                this.connection = decorated;
            }
            else
            {
                this.inner.Connection = value;
                this.connection = null;
            }
        }
    }

    protected override DbParameterCollection DbParameterCollection => this.inner.Parameters;

    protected override DbTransaction? DbTransaction
    {
        get => this.inner.Transaction;
        set => this.inner.Transaction = value;
    }

    public override void Cancel() => this.inner.Cancel();

    public override void Prepare() => this.inner.Prepare();

    public override Task PrepareAsync(CancellationToken cancellationToken = default) => this.inner.PrepareAsync(cancellationToken);

    public override int ExecuteNonQuery()
    {
        var start = this.OperationStarting();
        try
        {
            var result = this.inner.ExecuteNonQuery();
            this.OperationFinished(start, null);
            return result;
        }
        catch (Exception ex)
        {
            this.OperationFinished(start, ex);
            throw;
        }
    }

    public override async Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken)
    {
        var start = this.OperationStarting();
        try
        {
            var result = await this.inner.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            this.OperationFinished(start, null);
            return result;
        }
        catch (Exception ex)
        {
            this.OperationFinished(start, ex);
            throw;
        }
    }

    public override object? ExecuteScalar()
    {
        var start = this.OperationStarting();
        try
        {
            var result = this.inner.ExecuteScalar();
            this.OperationFinished(start, null);
            return result;
        }
        catch (Exception ex)
        {
            this.OperationFinished(start, ex);
            throw;
        }
    }

    public override async Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken)
    {
        var start = this.OperationStarting();
        try
        {
            var result = await this.inner.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            this.OperationFinished(start, null);
            return result;
        }
        catch (Exception ex)
        {
            this.OperationFinished(start, ex);
            throw;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (!this.disposed)
        {
            this.disposed = true;
            await this.inner.DisposeAsync().ConfigureAwait(false);
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    public override string ToString() => this.inner.ToString() ?? base.ToString()!;

    protected override DbParameter CreateDbParameter() => this.inner.CreateParameter();

    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        if ((behavior & CommandBehavior.CloseConnection) != 0)
        {
            this.connection?.ListenToProviderStateChanges();
        }

        var start = this.OperationStarting();
        try
        {
            var result = this.inner.ExecuteReader(behavior);
            this.OperationFinished(start, null);
            return result;
        }
        catch (Exception ex)
        {
            this.OperationFinished(start, ex);
            throw;
        }
    }

    protected override async Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken)
    {
        if ((behavior & CommandBehavior.CloseConnection) != 0)
        {
            this.connection?.ListenToProviderStateChanges();
        }

        var start = this.OperationStarting();
        try
        {
            var result = await this.inner.ExecuteReaderAsync(behavior, cancellationToken).ConfigureAwait(false);
            this.OperationFinished(start, null);
            return result;
        }
        catch (Exception ex)
        {
            this.OperationFinished(start, ex);
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !this.disposed)
        {
            this.disposed = true;
            this.inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private long OperationStarting() => this.connection?.Pool.OperationStarting() ?? 0;

    private void OperationFinished(long start, Exception? exception)
    {
        if (start != 0)
        {
            this.connection?.Pool.OperationFinished(start, this.inner, exception);
        }
    }
}
