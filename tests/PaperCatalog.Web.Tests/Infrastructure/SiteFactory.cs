using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using PaperCatalog.Moderation;

namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>A site of its own (for tests that write), with configurable limits and a moderator account.</summary>
public sealed class SiteFactory : CatalogFactory
{
    public const string Moderator = "mira";
    public const string Password = "a long enough passphrase";

    public int RatePermits { get; init; } = 100_000;
    public int LockMinutes { get; init; } = 15;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Submissions:RatePermits", RatePermits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Submissions:LockMinutes", LockMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Makes the moderator account, as `catalog moderator add` would.</summary>
    public async Task AddModeratorAsync()
    {
        var problem = await Services.GetRequiredService<ModeratorAccounts>().AddAsync(Moderator, Password, CancellationToken.None);
        Assert.Null(problem);
    }

    /// <summary>A client signed in as the moderator (through the real sign-in form).</summary>
    public async Task<HttpClient> SignedInAsync()
    {
        await AddModeratorAsync();
        var client = CreateReader();
        var doc = await Html.GetOkAsync(client, "/admin/signin");
        var response = await Forms.PostAsync(client, (AngleSharp.Html.Dom.IHtmlFormElement)doc.QuerySelector("main form")!, new Dictionary<string, string?> { ["Name"] = Moderator, ["Password"] = Password });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }
}
