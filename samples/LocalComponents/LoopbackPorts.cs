using System.Net;
using System.Net.Sockets;

namespace LocalComponents;

/// <summary>Free loopback ports for the real servers a test starts.</summary>
public static class LoopbackPorts
{
    /// <summary>A TCP port on 127.0.0.1 that nothing listens on right now.</summary>
    public static int GetFree()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
