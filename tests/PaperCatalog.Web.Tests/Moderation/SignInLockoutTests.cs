using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Moderation;

/// <summary>
/// Guessing passwords slows down and then locks the guessing client (its address, and its address with that name), never
/// the moderator; the answers never tell a real name from an unknown one. Each client is its own loopback address on a
/// real Kestrel port.
/// </summary>
public sealed class SignInLockoutTests : IDisposable
{
    private readonly SiteFactory _site = new()
    {
        Settings = { ["SignIn:MaxFailures"] = "5", ["SignIn:MaxClientFailures"] = "12", ["SignIn:DelayMilliseconds"] = "1" },
    };

    public SignInLockoutTests() => _site.Serve();

    public void Dispose() => _site.Dispose();

    [Fact]
    public async Task WrongPasswords_LockTheGuessingClient_NotTheModerator()
    {
        // Issue 10: five wrong passwords locked the account for everyone, so anyone could keep a moderator out.
        await _site.AddModeratorAsync();
        using var attacker = _site.ClientFrom("127.0.0.2");
        for (var i = 0; i < 5; i++) await SiteFactory.TrySignInAsync(attacker, SiteFactory.Moderator, "guess number " + i);
        var lockedOut = await SiteFactory.TrySignInAsync(attacker, SiteFactory.Moderator, SiteFactory.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, lockedOut.StatusCode);
        Assert.True(lockedOut.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("from your address", ErrorOf(await Html.ParseAsync(lockedOut)), StringComparison.Ordinal);

        using var moderator = _site.ClientFrom("127.0.0.3");
        var signedIn = await SiteFactory.TrySignInAsync(moderator, SiteFactory.Moderator, SiteFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task UnknownAndRealNames_GetTheSameAnswers_IncludingSlowDownAndLocked()
    {
        // Issue 10: only real names were ever "locked" (and slowed), so the answers told which names exist.
        await _site.AddModeratorAsync();
        using var unknownGuesser = _site.ClientFrom("127.0.0.4");
        using var realGuesser = _site.ClientFrom("127.0.0.5");
        var unknown = new List<string>();
        var real = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            unknown.Add(await AnswerAsync(unknownGuesser, "nobody-here", "guess " + i));
            real.Add(await AnswerAsync(realGuesser, SiteFactory.Moderator, "guess " + i));
        }
        Assert.Equal(unknown, real);
        Assert.Contains(real, a => a.StartsWith("200 ", StringComparison.Ordinal));
        Assert.Contains(real, a => a.StartsWith("429 ", StringComparison.Ordinal) && a.Contains("Too many failed sign-ins", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GuessingManyNames_FromOneAddress_LocksThatAddress()
    {
        await _site.AddModeratorAsync();
        using var sprayer = _site.ClientFrom("127.0.0.6");
        for (var i = 0; i < 12; i++) await SiteFactory.TrySignInAsync(sprayer, "name" + i, "guess");
        var answer = await SiteFactory.TrySignInAsync(sprayer, SiteFactory.Moderator, SiteFactory.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        using var moderator = _site.ClientFrom("127.0.0.7");
        Assert.Equal(HttpStatusCode.Redirect, (await SiteFactory.TrySignInAsync(moderator, SiteFactory.Moderator, SiteFactory.Password)).StatusCode);
    }

    [Fact]
    public async Task FailedSignInsAndLockouts_AreAudited_WithoutTheTypedPassword()
    {
        await _site.AddModeratorAsync();
        const string typed = "correct horse battery staple 7Q";
        using var attacker = _site.ClientFrom("127.0.0.8");
        for (var i = 0; i < 5; i++) await SiteFactory.TrySignInAsync(attacker, SiteFactory.Moderator, typed);
        await SiteFactory.TrySignInAsync(attacker, "nobody-at-all", typed);

        using var moderator = _site.ClientFrom("127.0.0.9");
        Assert.Equal(HttpStatusCode.Redirect, (await SiteFactory.TrySignInAsync(moderator, SiteFactory.Moderator, SiteFactory.Password)).StatusCode);
        var audit = await Html.GetOkAsync(moderator, "/admin/audit");
        var rows = audit.QuerySelectorAll("table.audit tbody tr").Select(r => r.Text()).ToList();
        Assert.Equal(6, rows.Count(r => r.Contains("sign-in-failed", StringComparison.Ordinal) && r.Contains("127.0.0.8", StringComparison.Ordinal)));
        Assert.Single(rows, r => r.Contains("sign-in-lockout", StringComparison.Ordinal) && r.Contains("127.0.0.8", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("nobody-at-all", StringComparison.Ordinal)); // an unknown name may be a password typed in the wrong field

        // Nowhere in the store (its file and its write-ahead log) is the typed password.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(_site.Folder, "catalog.db*"))
            Assert.DoesNotContain(typed, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
    }

    /// <summary>What a client sees of one attempt: the status, Retry-After and the form's error.</summary>
    private static async Task<string> AnswerAsync(HttpClient client, string name, string password)
    {
        var response = await SiteFactory.TrySignInAsync(client, name, password);
        return $"{(int)response.StatusCode} {response.Headers.RetryAfter?.Delta?.TotalMinutes:F0} {ErrorOf(await Html.ParseAsync(response))}";
    }

    private static string ErrorOf(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector(".form-errors").Text();
}
