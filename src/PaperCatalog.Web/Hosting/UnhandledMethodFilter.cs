using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// A request whose method no page handler takes (TRACE, OPTIONS, PUT on a GET-only page) is answered 405, instead of
/// rendering the page with a model no handler filled in (which was a 500).
/// </summary>
public sealed class UnhandledMethodFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
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
