using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace PaperCatalog.Web.Hosting;

/// <summary>
/// A page whose form survives a lost antiforgery cookie (a tab left open for a day, a browser restarted, cookies
/// cleared): instead of a blank 400 it shows the form again with everything that was posted, and a fresh token.
/// </summary>
public interface IKeepsFormOnLostToken
{
    /// <summary>
    /// The page as after a refused post: what is bound stays, nothing is stored. Called instead of the handler, with the
    /// reason already in the model state.
    /// </summary>
    Task<IActionResult> ShowFormAgainAsync(CancellationToken ct);
}

/// <summary>
/// Antiforgery on every unsafe request, as <see cref="AutoValidateAntiforgeryTokenAttribute"/> does, but checked after
/// model binding: a refused post to a page that <see cref="IKeepsFormOnLostToken">keeps its form</see> comes back as
/// that form (still a 400, nothing stored), with the message beside it and a new token, so one more click sends it.
/// Any other refused request (an endpoint without such a form, a handler the page lacks) is a plain 400.
/// </summary>
public sealed class AntiforgeryFormFilter(IAntiforgery antiforgery) : IAsyncPageFilter
{
    public const string LostTokenMessage = "This form could not be sent safely: it was open for a long time, or your browser dropped its cookies. " +
                                           "Nothing was stored. Everything you typed is still here; check it and send it again.";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var method = http.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            await next();
            return;
        }
        try
        {
            await antiforgery.ValidateRequestAsync(http);
        }
        catch (AntiforgeryValidationException)
        {
            var requested = HandlerSelectionFilter.RequestedHandler(http);
            var isRealHandler = context.HandlerMethod is not null
                                && (string.IsNullOrEmpty(requested) || string.Equals(context.HandlerMethod.Name, requested, StringComparison.OrdinalIgnoreCase));
            if (isRealHandler && context.HandlerInstance is IKeepsFormOnLostToken page)
            {
                context.ModelState.AddModelError("", LostTokenMessage);
                var shown = await page.ShowFormAgainAsync(http.RequestAborted);
                // Refused all the same: the status says so, the body is the form to send again.
                if (shown is Microsoft.AspNetCore.Mvc.RazorPages.PageResult result) result.StatusCode = StatusCodes.Status400BadRequest;
                context.Result = shown;
                return;
            }
            context.Result = new BadRequestResult();
            return;
        }
        await next();
    }
}
