using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PaperCatalog.About;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>What the footer says about the list: who keeps it, its source, how to reach them.</summary>
public sealed record SiteFooter(string Curators, string? SourceUrl, string SourceName, string? ContactUrl);

/// <summary>The footer on every page: <see cref="CuratorOptions"/>, with defaults from the list.</summary>
public sealed class SiteFooterViewComponent(AboutQueries about, IOptions<CuratorOptions> curators, IOptions<CatalogOptions> catalog) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var options = curators.Value;
        var title = (await about.GetAsync(HttpContext.RequestAborted)).Title;
        var name = options.Name.Trim() is { Length: > 0 } given ? given : title.Length > 0 ? "the curators of " + title : "the list's curators";
        // Only web and mail addresses become links: configuration is trusted, but an href is no place for a script.
        var contact = options.Contact.Trim();
        var contactUrl = contact.Length == 0 ? "/submit"
            : PaperUrls.IsWebAddress(contact) || contact.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && !contact.Any(char.IsWhiteSpace) ? contact
            : null;
        var source = PaperUrls.IsWebAddress(options.SourceUrl.Trim()) ? options.SourceUrl.Trim() : null;
        return View("/Pages/Shared/_SiteFooter.cshtml", new SiteFooter(name, source, Path.GetFileName(catalog.Value.Source), contactUrl));
    }
}
