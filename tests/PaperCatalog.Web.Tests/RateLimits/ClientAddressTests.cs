using System.Net;
using Microsoft.AspNetCore.Http;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Tests.RateLimits;

/// <summary>How allowances and lockouts count clients: one IPv4 address, or one IPv6 /64 (what one subscriber is given).</summary>
public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("203.0.113.9", "203.0.113.9")]
    [InlineData("::ffff:203.0.113.9", "203.0.113.9")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:3::1", "2001:db8:1:3::/64")]
    [InlineData(null, "unknown")]
    public void Client_IsItsIPv4Address_OrItsIPv6Network(string? address, string expected)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = address is null ? null : IPAddress.Parse(address);
        Assert.Equal(expected, ClientAddress.Of(context));
    }
}
