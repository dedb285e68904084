using System.Net;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>Requests that only a real Kestrel server sees as they are (the in-memory test server decodes them first).</summary>
[Collection(BrowserCollection.Name)]
public sealed class RealServerTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/papers/%00")]
    [InlineData("/topics/%00%3Cscript%3E")]
    [InlineData("/papers/%C0%AE%C0%AE%2F")]
    public async Task MalformedPath_IsRefusedWithoutA500(string path)
    {
        using var client = new HttpClient();
        var response = await client.GetAsync(fixture.BaseUrl + path);
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{path} answered {(int)response.StatusCode}");
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
    }
}
