using System.Net;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>Follows a moderator's decision to where it leads (the next pending submission, or the queue) and reads its confirmation.</summary>
public static class Decisions
{
    /// <summary>The path of the paper an approval published, from the confirmation on the page the approval redirected to.</summary>
    public static async Task<string> PaperPathAsync(HttpClient moderator, HttpResponseMessage approved)
    {
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var next = await Html.GetOkAsync(moderator, approved.Headers.Location!.OriginalString);
        var link = next.QuerySelector(".decided-notice a.decided-paper");
        Assert.True(link is not null, "the page after the approval does not confirm it with the paper's link");
        return link.GetAttribute("href")!;
    }
}
