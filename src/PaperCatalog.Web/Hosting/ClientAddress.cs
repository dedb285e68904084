using System.Net;
using System.Net.Sockets;

namespace PaperCatalog.Web.Hosting;

/// <summary>Who a request comes from, as rate limits and sign-in lockouts count clients.</summary>
public static class ClientAddress
{
    /// <summary>
    /// The client's address (<see cref="ConnectionInfo.RemoteIpAddress"/>, which the forwarded-headers step sets behind a
    /// trusted proxy). An IPv6 client counts by its /64 network: one subscriber gets a whole /64, so single addresses would
    /// hand an attacker billions of fresh allowances.
    /// </summary>
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
