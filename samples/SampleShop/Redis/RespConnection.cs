using System.Net.Sockets;
using System.Text;

namespace SampleShop.Redis;

/// <summary>
/// One connection speaking RESP2 to a Redis node or a Sentinel. The sample carries this small client
/// because StackExchange.Redis cannot be restored where this project is built.
/// </summary>
internal sealed class RespConnection : IDisposable
{
    private readonly TcpClient client;
    private readonly BufferedStream stream;

    private RespConnection(TcpClient client)
    {
        this.client = client;
        this.stream = new BufferedStream(client.GetStream(), 64 * 1024);
    }

    public string Endpoint { get; private init; } = string.Empty;

    public static async Task<RespConnection> ConnectAsync(string endpoint, TimeSpan timeout, CancellationToken token)
    {
        var (host, port) = ParseEndpoint(endpoint);
        var client = new TcpClient { NoDelay = true, ReceiveTimeout = (int)timeout.TotalMilliseconds, SendTimeout = (int)timeout.TotalMilliseconds };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        cts.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(host, port, cts.Token);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return new RespConnection(client) { Endpoint = endpoint };
    }

    public static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out var port))
        {
            throw new FormatException($"Redis endpoint '{endpoint}' must be host:port.");
        }

        return (endpoint[..colon], port);
    }

    /// <summary>Sends one command and reads its reply: string, byte[], long, null, or object?[] for arrays.</summary>
    public async Task<object?> ExecuteAsync(CancellationToken token, params object[] parts)
    {
        var header = Encoding.ASCII.GetBytes($"*{parts.Length}\r\n");
        await this.stream.WriteAsync(header, token);
        foreach (var part in parts)
        {
            var bytes = part switch
            {
                byte[] b => b,
                string s => Encoding.UTF8.GetBytes(s),
                _ => Encoding.UTF8.GetBytes(Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture)!),
            };
            await this.stream.WriteAsync(Encoding.ASCII.GetBytes($"${bytes.Length}\r\n"), token);
            await this.stream.WriteAsync(bytes, token);
            await this.stream.WriteAsync("\r\n"u8.ToArray(), token);
        }

        await this.stream.FlushAsync(token);
        return await this.ReadReplyAsync(token);
    }

    public void Dispose()
    {
        this.stream.Dispose();
        this.client.Dispose();
    }

    private async Task<object?> ReadReplyAsync(CancellationToken token)
    {
        var line = await this.ReadLineAsync(token);
        var kind = line[0];
        var rest = line[1..];
        switch (kind)
        {
            case '+':
                return rest;
            case '-':
                throw new RedisServerException(rest);
            case ':':
                return long.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
            case '$':
                {
                    var length = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                    if (length < 0)
                    {
                        return null;
                    }

                    var data = new byte[length + 2];
                    await this.stream.ReadExactlyAsync(data, token);
                    return data.AsSpan(0, length).ToArray();
                }

            case '*':
                {
                    var count = int.Parse(rest, System.Globalization.CultureInfo.InvariantCulture);
                    if (count < 0)
                    {
                        return null;
                    }

                    var items = new object?[count];
                    for (var i = 0; i < count; i++)
                    {
                        items[i] = await this.ReadReplyAsync(token);
                    }

                    return items;
                }

            default:
                throw new IOException($"Unexpected RESP reply '{line}'.");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken token)
    {
        var builder = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            var read = await this.stream.ReadAsync(one, token);
            if (read == 0)
            {
                throw new IOException("Redis closed the connection.");
            }

            if (one[0] == '\r')
            {
                await this.stream.ReadExactlyAsync(one, token); // '\n'
                return builder.ToString();
            }

            builder.Append((char)one[0]);
        }
    }
}

/// <summary>An error reply from Redis (for example READONLY after a failover, or OOM).</summary>
internal sealed class RedisServerException(string message) : Exception(message);
