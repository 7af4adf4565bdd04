using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Internal;
using StackExchange.Redis;

namespace IncidentTelemetry.StackExchangeRedis;

/// <summary>
/// One instrumented multiplexer: listens to its <c>ConnectionFailed</c>, <c>ConnectionRestored</c>,
/// <c>ConfigurationChanged</c> and <c>ConfigurationChangedBroadcast</c> events and counts, under the app's
/// name for that Redis, failures by type, restores and the times the primary moved to another endpoint.
/// The handlers run on the client's own threads and never throw.
/// </summary>
internal sealed class RedisClientTelemetry
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, RedisClientTelemetry> Attached = new();
    private static readonly string UnableToConnect = FailureTypeNames.Get(ConnectionFailureType.UnableToConnect);

    private readonly IConnectionMultiplexer multiplexer;
    private readonly RedisClientMetrics metrics;
    private readonly KeyValuePair<string, object?> nameTag;
    private readonly Lock gate = new();
    private EndPoint? primary;

    private RedisClientTelemetry(IConnectionMultiplexer multiplexer, string name, RedisClientMetrics metrics)
    {
        this.multiplexer = multiplexer;
        this.metrics = metrics;
        this.Name = name;
        this.nameTag = new KeyValuePair<string, object?>(RedisClientMetrics.NameAttribute, name);
    }

    public string Name { get; }

    /// <summary>The primary endpoint last seen, or null before the client reached one.</summary>
    public EndPoint? Primary
    {
        get
        {
            lock (this.gate)
            {
                return this.primary;
            }
        }
    }

    /// <summary>Starts counting for <paramref name="multiplexer"/>; a second call with the same name is a no-op.</summary>
    public static RedisClientTelemetry Attach(IConnectionMultiplexer multiplexer, string name, RedisClientMetrics metrics)
    {
        var telemetry = Attached.GetValue(multiplexer, m => new RedisClientTelemetry(m, name, metrics).Subscribe());
        return telemetry.Name == name
            ? telemetry
            : throw new ArgumentException($"This multiplexer already reports its connections as {Labels.RedisName} '{telemetry.Name}'; one multiplexer has one name.", nameof(name));
    }

    /// <summary>The multiplexer could not be created at all (for example no Sentinel or primary reachable at startup).</summary>
    public static void CreationFailed(RedisClientMetrics metrics, string name, Exception exception)
    {
        try
        {
            metrics.Failures.Add(1, new TagList
            {
                { RedisClientMetrics.NameAttribute, name },
                { MetricsConstants.ErrorTypeAttribute, FailureTypeNames.Get(exception) },
            });
        }
        catch (Exception ex)
        {
            RedisTelemetryEventSource.Log.CallbackFailed(MetricsConstants.RedisConnectionFailuresInstrument, ex);
        }
    }

    private RedisClientTelemetry Subscribe()
    {
        // Both counters exist from the start at 0, so that increase() in the alert sees the first change.
        this.metrics.Restores.Add(0, this.nameTag);
        this.metrics.PrimaryChanges.Add(0, this.nameTag);
        this.multiplexer.ConnectionFailed += this.OnConnectionFailed;
        this.multiplexer.ConnectionRestored += this.OnConnectionRestored;
        this.multiplexer.ConfigurationChanged += this.OnConfigurationChanged;
        this.multiplexer.ConfigurationChangedBroadcast += this.OnConfigurationChanged;

        // With abortConnect=false the client hands out a multiplexer whose first connect failed; no event reports
        // that failure (for example the Sentinels were unreachable), so it is counted here.
        if (!this.multiplexer.IsConnected)
        {
            this.metrics.Failures.Add(1, new TagList { this.nameTag, { MetricsConstants.ErrorTypeAttribute, UnableToConnect } });
        }

        this.CheckPrimary();
        return this;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        try
        {
            this.metrics.Failures.Add(1, new TagList
            {
                this.nameTag,
                { MetricsConstants.ErrorTypeAttribute, FailureTypeNames.Get(e.FailureType) },
            });
        }
        catch (Exception ex)
        {
            RedisTelemetryEventSource.Log.CallbackFailed(MetricsConstants.RedisConnectionFailuresInstrument, ex);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        try
        {
            this.metrics.Restores.Add(1, this.nameTag);
            this.CheckPrimary();
        }
        catch (Exception ex)
        {
            RedisTelemetryEventSource.Log.CallbackFailed(MetricsConstants.RedisConnectionRestoresInstrument, ex);
        }
    }

    private void OnConfigurationChanged(object? sender, EndPointEventArgs e)
    {
        try
        {
            this.CheckPrimary();
        }
        catch (Exception ex)
        {
            RedisTelemetryEventSource.Log.CallbackFailed(MetricsConstants.RedisPrimaryChangesInstrument, ex);
        }
    }

    /// <summary>
    /// Counts a change when the connected primary is another endpoint than the one last seen. The primary last
    /// seen is kept while it is still a connected primary, so that a moment with two primaries counts nothing.
    /// </summary>
    private void CheckPrimary()
    {
        IServer[] servers;
        try
        {
            servers = this.multiplexer.GetServers();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or RedisException)
        {
            return;
        }

        lock (this.gate)
        {
            EndPoint? candidate = null;
            foreach (var server in servers)
            {
                if (!server.IsConnected || server.IsReplica)
                {
                    continue;
                }

                if (this.primary is not null && server.EndPoint.Equals(this.primary))
                {
                    return;
                }

                candidate ??= server.EndPoint;
            }

            if (candidate is null)
            {
                return;
            }

            var changed = this.primary is not null;
            this.primary = candidate;
            if (changed)
            {
                this.metrics.PrimaryChanges.Add(1, this.nameTag);
            }
        }
    }
}
