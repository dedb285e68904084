using Microsoft.AspNetCore.Mvc;
using PaperCatalog.Citations;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>A paper page's "Cite" block: its BibTeX entry to read or copy, and the downloads in every format.</summary>
public sealed class CiteViewComponent(CitationQueries citations) : ViewComponent
{
    public sealed record Model(PaperRow Paper, string BibTex);

    public async Task<IViewComponentResult> InvokeAsync(PaperRow paper)
    {
        var cited = await citations.CiteAsync([paper], HttpContext.RequestAborted);
        return View("/Pages/Shared/_Cite.cshtml", new Model(paper, BibTex.Write(cited)));
    }
}
