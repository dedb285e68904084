using Microsoft.AspNetCore.Mvc;
using PaperCatalog.Topics;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>The header's topic links, on every page.</summary>
public sealed class TopicNavViewComponent(TopicQueries topics) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("/Pages/Shared/_TopicNav.cshtml", await topics.WithPapersAsync(HttpContext.RequestAborted));
}
