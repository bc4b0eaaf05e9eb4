using System.Net.Sockets;
using System.Text;

namespace Platform.Gateway.Tests.Fixtures;

/// <summary>
/// Sends an HTTP/1.1 request with the request target exactly as given, because HttpClient
/// normalizes dot segments and escapes, which would hide the path tricks under test.
/// </summary>
public static class RawHttp
{
    public static async Task<(int Status, string Body)> SendAsync(string gatewayAddress, string method, string target, string? authorization)
    {
        var uri = new Uri(gatewayAddress);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        await using var stream = client.GetStream();

        var request = new StringBuilder()
            .Append($"{method} {target} HTTP/1.1\r\n")
            .Append($"Host: {uri.Authority}\r\n")
            .Append("Connection: close\r\n")
            .Append("Content-Length: 0\r\n");
        if (authorization is not null)
        {
            request.Append($"Authorization: {authorization}\r\n");
        }

        request.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.ToString()));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var response = await reader.ReadToEndAsync();
        var statusLine = response[..response.IndexOf('\r', StringComparison.Ordinal)];
        var status = int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var bodyStart = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = bodyStart >= 0 ? response[..bodyStart] : response;
        var body = bodyStart >= 0 ? response[(bodyStart + 4)..] : string.Empty;
        var chunked = head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase);
        return (status, chunked ? DecodeChunked(body) : body);
    }

    // Bodies here are ASCII JSON, so character offsets equal byte offsets.
    private static string DecodeChunked(string body)
    {
        var result = new StringBuilder();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", position, StringComparison.Ordinal);
            var size = Convert.ToInt32(body[position..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(body, lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
