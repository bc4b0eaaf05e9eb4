using System.Net;
using System.Net.Sockets;

namespace Platform.Testing;

/// <summary>Finds free loopback ports for servers that tests start.</summary>
public static class TcpPorts
{
    /// <summary>Returns a port on 127.0.0.1 that was free a moment ago.</summary>
    public static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
