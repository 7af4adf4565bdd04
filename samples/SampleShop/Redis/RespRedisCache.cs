using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace SampleShop.Redis;

/// <summary>Where the session store lives: one node, or a master found through Sentinels.</summary>
internal sealed class RedisCacheSettings
{
    /// <summary>A Redis node, host:port. Used when no Sentinel is given.</summary>
    public string? Endpoint { get; set; }

    /// <summary>Sentinels, host:port, comma separated; the master is asked for by <see cref="MasterName"/>.</summary>
    public string? Sentinels { get; set; }

    /// <summary>The Sentinel master name. Default: <c>sessions</c>.</summary>
    public string MasterName { get; set; } = "sessions";

    /// <summary>How long one command may take. Default: 2 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// An <see cref="IDistributedCache"/> over Redis for the sample's session store, Sentinel-aware: after a
/// connection error or a READONLY reply it asks the Sentinels for the current master again.
/// </summary>
internal sealed class RespRedisCache(RedisCacheSettings settings) : IDistributedCache, IDisposable
{
    private readonly ConcurrentBag<RespConnection> idle = new();
    private readonly SemaphoreSlim resolve = new(1, 1);
    private string? master;

    public byte[]? Get(string key) => this.GetAsync(key).GetAwaiter().GetResult();

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        => await this.ExecuteAsync(token, "GET", key) as byte[];

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => this.SetAsync(key, value, options).GetAwaiter().GetResult();

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        var ttl = options.SlidingExpiration
            ?? options.AbsoluteExpirationRelativeToNow
            ?? (options.AbsoluteExpiration is { } at ? at - DateTimeOffset.UtcNow : TimeSpan.FromMinutes(20));
        await this.ExecuteAsync(token, "SET", key, value, "PX", Math.Max(1, (long)ttl.TotalMilliseconds));
    }

    public void Refresh(string key) => this.RefreshAsync(key).GetAwaiter().GetResult();

    public async Task RefreshAsync(string key, CancellationToken token = default)
        => await this.ExecuteAsync(token, "PEXPIRE", key, (long)TimeSpan.FromMinutes(20).TotalMilliseconds);

    public void Remove(string key) => this.RemoveAsync(key).GetAwaiter().GetResult();

    public async Task RemoveAsync(string key, CancellationToken token = default)
        => await this.ExecuteAsync(token, "DEL", key);

    public void Dispose()
    {
        while (this.idle.TryTake(out var c))
        {
            c.Dispose();
        }

        this.resolve.Dispose();
    }

    private async Task<object?> ExecuteAsync(CancellationToken token, params object[] command)
    {
        var endpoint = await this.GetMasterAsync(token);
        RespConnection? connection = null;
        try
        {
            while (this.idle.TryTake(out var candidate))
            {
                if (candidate.Endpoint == endpoint)
                {
                    connection = candidate;
                    break;
                }

                candidate.Dispose();
            }

            connection ??= await RespConnection.ConnectAsync(endpoint, settings.Timeout, token);
            var reply = await connection.ExecuteAsync(token, command);
            this.idle.Add(connection);
            connection = null;
            return reply;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException
            || (ex is RedisServerException r && r.Message.StartsWith("READONLY", StringComparison.Ordinal)))
        {
            // The master may have moved: ask the Sentinels again on the next call.
            this.master = null;
            throw;
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private async Task<string> GetMasterAsync(CancellationToken token)
    {
        if (this.master is { } known)
        {
            return known;
        }

        if (string.IsNullOrEmpty(settings.Sentinels))
        {
            return this.master = settings.Endpoint ?? throw new InvalidOperationException("Shop:Redis:Endpoint or Shop:Redis:Sentinels must be set.");
        }

        await this.resolve.WaitAsync(token);
        try
        {
            if (this.master is { } again)
            {
                return again;
            }

            foreach (var sentinel in settings.Sentinels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                try
                {
                    using var connection = await RespConnection.ConnectAsync(sentinel, settings.Timeout, token);
                    if (await connection.ExecuteAsync(token, "SENTINEL", "get-master-addr-by-name", settings.MasterName) is object?[] { Length: 2 } address)
                    {
                        var host = Encoding.UTF8.GetString((byte[])address[0]!);
                        var port = Encoding.UTF8.GetString((byte[])address[1]!);
                        return this.master = $"{host}:{port}";
                    }
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or OperationCanceledException)
                {
                    // Try the next Sentinel.
                }
            }

            throw new IOException($"No Sentinel of '{settings.Sentinels}' knows master '{settings.MasterName}'.");
        }
        finally
        {
            this.resolve.Release();
        }
    }
}
