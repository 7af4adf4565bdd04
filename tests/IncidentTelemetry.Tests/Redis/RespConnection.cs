using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace IncidentTelemetry.Tests.Redis;

/// <summary>
/// The Redis protocol (RESP2) over a TcpClient, enough for tests: StackExchange.Redis cannot be restored here.
/// Replies: simple strings and bulk strings as string, integers as long, arrays as object?[], errors throw.
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

    public static async Task<RespConnection> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            client.ReceiveTimeout = 10_000;
            client.SendTimeout = 10_000;
            return new RespConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Connects, runs one command and disconnects.</summary>
    public static async Task<object?> RunAsync(int port, params string[] command)
    {
        using var connection = await ConnectAsync(port);
        return connection.Execute(command);
    }

    public object? Execute(params string[] command)
    {
        this.Write(command);
        this.stream.Flush();
        return this.Read();
    }

    /// <summary>Sends many commands before reading any reply (pipelining); returns the replies in order.</summary>
    public IReadOnlyList<object?> ExecuteMany(IEnumerable<string[]> commands)
    {
        var count = 0;
        foreach (var command in commands)
        {
            this.Write(command);
            count++;
        }

        this.stream.Flush();
        var replies = new object?[count];
        for (var i = 0; i < count; i++)
        {
            replies[i] = this.Read();
        }

        return replies;
    }

    public void Dispose()
    {
        this.stream.Dispose();
        this.client.Dispose();
    }

    private void Write(string[] command)
    {
        var header = new StringBuilder().Append('*').Append(command.Length).Append("\r\n");
        this.stream.Write(Encoding.ASCII.GetBytes(header.ToString()));
        foreach (var part in command)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            this.stream.Write(Encoding.ASCII.GetBytes($"${bytes.Length}\r\n"));
            this.stream.Write(bytes);
            this.stream.Write("\r\n"u8);
        }
    }

    private object? Read()
    {
        var line = this.ReadLine();
        var payload = line[1..];
        switch (line[0])
        {
            case '+':
                return payload;
            case '-':
                throw new InvalidOperationException("Redis error: " + payload);
            case ':':
                return long.Parse(payload, CultureInfo.InvariantCulture);
            case '$':
            {
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var buffer = new byte[length + 2];
                this.stream.ReadExactly(buffer);
                return Encoding.UTF8.GetString(buffer, 0, length);
            }

            case '*':
            {
                var length = int.Parse(payload, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var items = new object?[length];
                for (var i = 0; i < length; i++)
                {
                    items[i] = this.Read();
                }

                return items;
            }

            default:
                throw new InvalidOperationException($"Unexpected RESP reply '{line}'.");
        }
    }

    private string ReadLine()
    {
        var bytes = new List<byte>(64);
        while (true)
        {
            var b = this.stream.ReadByte();
            if (b < 0)
            {
                throw new IOException("Redis closed the connection.");
            }

            if (b == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                return Encoding.UTF8.GetString([.. bytes[..^1]]);
            }

            bytes.Add((byte)b);
        }
    }
}
