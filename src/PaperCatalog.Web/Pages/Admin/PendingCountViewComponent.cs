using Microsoft.AspNetCore.Mvc;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>"3 pending" beside the queue link on every moderator page, so waiting work is seen from anywhere.</summary>
public sealed class PendingCountViewComponent(SubmissionStore store) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var count = await store.PendingCountAsync(HttpContext.RequestAborted);
        return Content(count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " pending");
    }
}
