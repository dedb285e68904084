using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Only a handler the page has ever runs. A request that names a handler the page lacks (<c>POST /admin/signin?handler=preview</c>)
/// is a 404: Razor Pages would otherwise fall back to the page's unnamed handler, while the rate limiter, which runs before
/// a handler is chosen, counted it by the name. A request whose method no handler takes (TRACE, OPTIONS, PUT on a
/// GET-only page) is a 405, instead of the page rendered with a model no handler filled in (which was a 500).
/// </summary>
public sealed class HandlerSelectionFilter : IAsyncPageFilter
{
    /// <summary>
    /// The handler a request names, read as Razor Pages reads it (the <c>handler</c> route value, else the first
    /// <c>handler</c> query value); null or empty when it names none. With this filter in place it is the name of the
    /// handler that runs, so a rate-limit policy may partition by it.
    /// </summary>
    public static string? RequestedHandler(HttpContext context)
    {
        if (Convert.ToString(context.GetRouteValue("handler"), System.Globalization.CultureInfo.InvariantCulture) is { Length: > 0 } routed) return routed;
        return context.Request.Query.TryGetValue("handler", out var values) ? values[0] : null;
    }

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var requested = RequestedHandler(context.HttpContext);
        if (!string.IsNullOrEmpty(requested) && !string.Equals(context.HandlerMethod?.Name, requested, StringComparison.OrdinalIgnoreCase))
        {
            context.Result = new NotFoundResult();
            return Task.CompletedTask;
        }
        var method = context.HttpContext.Request.Method;
        if (context.HandlerMethod is null && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method)
            && context.ActionDescriptor.HandlerMethods.Count > 0)
        {
            context.HttpContext.Response.Headers.Allow = string.Join(", ", context.ActionDescriptor.HandlerMethods.Select(h => h.HttpMethod.ToUpperInvariant()).Append("HEAD").Distinct());
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return Task.CompletedTask;
        }
        return next();
    }
}
