using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Pages.Admin;

public sealed class SignInModel(ModeratorSignIn signIn) : PageModel, IKeepsFormOnLostToken
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    /// <summary>The name stays; a password is never sent back.</summary>
    public Task<IActionResult> ShowFormAgainAsync(CancellationToken ct)
    {
        Password = null;
        return Task.FromResult<IActionResult>(Page());
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await signIn.SignInAsync(ClientAddress.Of(HttpContext), Name, Password, ct);
        Password = null;
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInModeratorAsync(result.Session!);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/admin", StringComparison.Ordinal) ? ReturnUrl : "/admin");
            case SignInOutcome.Locked:
                // Said of the address, never of an account: an unknown name is locked out exactly like a real one.
                var minutes = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalMinutes));
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = RateLimitHosting.RetryAfter(result.RetryAfter);
                ModelState.AddModelError("", $"Too many failed sign-ins from your address. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.");
                break;
            default:
                ModelState.AddModelError("", "That name and password do not match a moderator account.");
                break;
        }
        return Page();
    }
}
