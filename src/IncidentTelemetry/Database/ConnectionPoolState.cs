using System.Data.Common;
using System.Diagnostics;
using IncidentTelemetry.Internal;

namespace IncidentTelemetry.Database;

/// <summary>
/// One decorated data source as the meter sees it: its tags (computed once), the connections currently
/// handed out through the decorator and the opens in progress. Every verb here is safe to call from the
/// host's hot path: no allocation, a timestamp only when the instrument is enabled, and no exception.
/// </summary>
internal sealed class ConnectionPoolState
{
    /// <summary>Attribute of every pool series.</summary>
    public const string PoolNameAttribute = MetricsConstants.DbConnectionPoolNameAttribute;

    public readonly TagList PoolTags;
    public readonly TagList UsedStateTags;

    private readonly DatabaseMetrics metrics;
    private int used;
    private int pending;

    public ConnectionPoolState(DatabaseMetrics metrics, string poolName, DatabaseProvider provider, int? maxConnections)
    {
        this.metrics = metrics;
        this.PoolName = poolName;
        this.Provider = provider;
        this.MaxConnections = maxConnections;
        this.PoolTags = new TagList { { PoolNameAttribute, poolName } };
        this.UsedStateTags = new TagList { { PoolNameAttribute, poolName }, { MetricsConstants.DbConnectionStateAttribute, "used" } };
    }

    public string PoolName { get; }

    public DatabaseProvider Provider { get; }

    /// <summary>Configured maximum (Max Pool Size, else the provider default), or null when unknown.</summary>
    public int? MaxConnections { get; }

    public int Used => Volatile.Read(ref this.used);

    public int Pending => Volatile.Read(ref this.pending);

    public DatabaseMetrics Metrics => this.metrics;

    /// <summary>An open request starts waiting. Returns a timestamp, or 0 when nobody listens to wait time.</summary>
    public long OpenStarting()
    {
        Interlocked.Increment(ref this.pending);
        return this.metrics.WaitTime.Enabled ? Stopwatch.GetTimestamp() : 0;
    }

    /// <summary>
    /// The provider handed over an open connection. Returns the clock reading that ended the wait (0 when nobody
    /// listens to wait time), so that the use time can start from it without reading the clock again.
    /// </summary>
    public long OpenSucceeded(long startTimestamp)
    {
        Interlocked.Decrement(ref this.pending);
        if (startTimestamp == 0)
        {
            return 0;
        }

        var now = Stopwatch.GetTimestamp();
        try
        {
            this.metrics.WaitTime.Record(Stopwatch.GetElapsedTime(startTimestamp, now).TotalSeconds, in this.PoolTags);
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(MetricsConstants.DbConnectionWaitTimeInstrument, ex);
        }

        return now;
    }

    /// <summary>The open failed; counts it as a timeout when the provider says the pool was exhausted.</summary>
    public void OpenFailed(Exception exception)
    {
        Interlocked.Decrement(ref this.pending);
        try
        {
            if (PoolTimeoutDetector.IsPoolTimeout(exception))
            {
                this.metrics.Timeouts.Add(1, in this.PoolTags);
            }
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(MetricsConstants.DbConnectionTimeoutsInstrument, ex);
        }
    }

    /// <summary>
    /// A connection is now in use. Returns a timestamp for use time, or 0 when nobody listens;
    /// <paramref name="now"/> is the clock reading taken when the open completed, or 0 if none was taken.
    /// </summary>
    public long ConnectionHandedOver(long now)
    {
        Interlocked.Increment(ref this.used);
        if (!this.metrics.UseTime.Enabled)
        {
            return 0;
        }

        return now != 0 ? now : Stopwatch.GetTimestamp();
    }

    /// <summary>A connection went back to the pool (Close, Dispose, or broken).</summary>
    public void ConnectionReturned(long handedOverTimestamp)
    {
        Interlocked.Decrement(ref this.used);
        if (handedOverTimestamp == 0)
        {
            return;
        }

        try
        {
            this.metrics.UseTime.Record(Stopwatch.GetElapsedTime(handedOverTimestamp).TotalSeconds, in this.PoolTags);
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(MetricsConstants.DbConnectionUseTimeInstrument, ex);
        }
    }

    /// <summary>A command starts. Returns a timestamp, or 0 when this pool does not report operation duration (nobody listens, or SqlClient, whose duration comes from OpenTelemetry.Instrumentation.SqlClient).</summary>
    public long OperationStarting()
        => this.Provider.ReportsOperationDuration && this.metrics.OperationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>A command finished (<paramref name="exception"/> is null on success).</summary>
    public void OperationFinished(long startTimestamp, DbCommand command, Exception? exception)
    {
        if (startTimestamp == 0)
        {
            return;
        }

        try
        {
            var elapsed = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
            // The pool name, not db.namespace or server.address: the database, host and port are parts of the
            // connection string and stay out of every label.
            var tags = new TagList
            {
                { MetricsConstants.DbSystemNameAttribute, this.Provider.SystemName },
                { PoolNameAttribute, this.PoolName },
                { MetricsConstants.DbOperationNameAttribute, SqlOperationName.Get(command.CommandText, command.CommandType) },
            };

            if (exception is not null)
            {
                tags.Add(MetricsConstants.ErrorTypeAttribute, exception.GetType().FullName);
            }

            this.metrics.OperationDuration.Record(elapsed, in tags);
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(MetricsConstants.DbOperationDurationInstrument, ex);
        }
    }
}
