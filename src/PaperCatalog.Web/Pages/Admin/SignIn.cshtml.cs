using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Moderation;
using PaperCatalog.Web.Hosting;

namespace PaperCatalog.Web.Pages.Admin;

public sealed class SignInModel(ModeratorAccounts accounts, AuditLog audit) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await accounts.SignInAsync(Name, Password, ct);
        Password = null;
        switch (result.Outcome)
        {
            case SignInOutcome.SignedIn:
                await HttpContext.SignInModeratorAsync(result.Name!);
                await audit.WriteAsync(result.Name!, "sign-in", "moderation", "", ct);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) && ReturnUrl!.StartsWith("/admin", StringComparison.Ordinal) ? ReturnUrl : "/admin");
            case SignInOutcome.Locked:
                ModelState.AddModelError("", $"Too many failed sign-ins: this account is locked until {result.LockedUntil:HH:mm} UTC. Try again then.");
                break;
            default:
                // Each failure in a row costs a little more time, on top of the lock after several.
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(result.FailedCount, 5) * 200), ct);
                ModelState.AddModelError("", "That name and password do not match a moderator account.");
                break;
        }
        return Page();
    }
}
