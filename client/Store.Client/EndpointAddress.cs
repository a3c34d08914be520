using System.Globalization;
using System.Net;

namespace Store.Client;

/// <summary>Parses <c>host:port</c> endpoints of <see cref="StoreClientOptions.Endpoints"/>.</summary>
internal static class EndpointAddress
{
    public static EndPoint Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text, nameof(StoreClientOptions.Endpoints));
        if (IPEndPoint.TryParse(text, out IPEndPoint? ip) && ip.Port != 0)
        {
            return ip;
        }

        int colon = text.LastIndexOf(':');
        if (colon > 0 && !text.AsSpan(0, colon).Contains(':')
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port is > 0 and <= 65535)
        {
            return new DnsEndPoint(text[..colon], port);
        }

        throw new ArgumentException($"Endpoint '{text}' is not host:port (use [address]:port for IPv6).", nameof(StoreClientOptions.Endpoints));
    }

    public static string HostOf(EndPoint endpoint) => endpoint switch
    {
        DnsEndPoint dns => dns.Host,
        IPEndPoint ip => ip.Address.ToString(),
        _ => endpoint.ToString() ?? string.Empty,
    };
}
