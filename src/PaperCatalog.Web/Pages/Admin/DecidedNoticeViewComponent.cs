using Microsoft.AspNetCore.Mvc;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Admin;

/// <summary>
/// The confirmation after a decision, on whichever admin page the moderator lands (<c>?decided=12</c>): what became of
/// that submission, read from the store, so a hand-made link can only ever show the truth.
/// </summary>
public sealed class DecidedNoticeViewComponent(SubmissionStore store) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (!long.TryParse(Request.Query["decided"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            || await store.ByIdAsync(id, HttpContext.RequestAborted) is not { Status: not "pending" } decided)
            return Content("");
        return View("/Pages/Admin/_DecidedNotice.cshtml", decided);
    }
}
