using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PaperCatalog.Moderation;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>
/// The hostile list (intros, titles and affiliations are the XSS vectors) served on a real Kestrel port, with the
/// Content-Security-Policy on or off and a moderator account, and Debian's Chromium (never a downloaded browser).
/// </summary>
public abstract class BrowserXssSite(bool contentSecurityPolicy) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public bool ContentSecurityPolicy { get; } = contentSecurityPolicy;
    public HostileList List { get; } = new();
    public SecurityFactory Factory { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Browser tests need Debian's Chromium at {ChromiumPath}: apt-get install chromium");
        Factory = new SecurityFactory { Source = List.ListPath, ContentSecurityPolicy = ContentSecurityPolicy };
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseUrl = Factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        Assert.Null(await Factory.Services.GetRequiredService<ModeratorAccounts>().AddAsync(SiteFactory.Moderator, SiteFactory.Password, CancellationToken.None));
        _playwright = await Playwright.CreateAsync();
        Browser = await PaperCatalog.Web.Tests.Browser.BrowserFixture.LaunchChromiumAsync(_playwright);
    }

    public HttpClient CreateHttpClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = new Uri(BaseUrl) };

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Factory is not null) await Factory.DisposeAsync();
        List.Dispose();
    }
}

public sealed class CspOnBrowserSite() : BrowserXssSite(contentSecurityPolicy: true);

public sealed class CspOffBrowserSite() : BrowserXssSite(contentSecurityPolicy: false);

/// <summary>
/// A browser context with a canary in every document and frame: window.__xss, alert, confirm, prompt and print
/// report to the test instead of running, a dialog that opens anyway is recorded and dismissed, and (with the CSP
/// on) a script the policy had to block is recorded too, since it means markup got through the encoding.
/// </summary>
public sealed class XssWatch
{
    private const string Canary = """
        (() => {
          const report = (what, args) => {
            try { window.__xssReport(what + '(' + Array.from(args || [], a => String(a)).join(',').slice(0, 80) + ')'); } catch (e) { }
          };
          for (const name of ['alert', 'confirm', 'prompt', 'print']) {
            const hook = function () { report(name, arguments); return name === 'confirm' ? false : (name === 'prompt' ? null : undefined); };
            try { Object.defineProperty(window, name, { value: hook, writable: false, configurable: false }); } catch (e) { window[name] = hook; }
          }
          try { Object.defineProperty(window, '__xss', { value: function () { report('__xss', arguments); }, writable: false, configurable: false }); } catch (e) { }
          document.addEventListener('securitypolicyviolation', e => {
            if (String(e.effectiveDirective).startsWith('script-src'))
              report('csp-blocked ' + e.effectiveDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''), []);
          }, true);
        })();
        """;

    public ConcurrentQueue<string> Hits { get; } = new();
    public List<string> Failures { get; } = [];
    /// <summary>Submissions the server refused with an empty error page (status shown), reported, not failures.</summary>
    public List<string> Refused { get; } = [];
    public string Current { get; set; } = "";
    public IBrowserContext Context { get; private set; } = null!;
    public IPage Page { get; private set; } = null!;
    public int Visits { get; private set; }

    public static async Task<XssWatch> OpenAsync(BrowserXssSite site)
    {
        var watch = new XssWatch();
        watch.Context = await site.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = site.BaseUrl });
        await watch.Context.ExposeFunctionAsync("__xssReport", (string what) => watch.Hits.Enqueue($"{what} on {Cut(watch.Current)}"));
        await watch.Context.AddInitScriptAsync(Canary);
        watch.Page = await watch.Context.NewPageAsync();
        watch.Page.Dialog += async (_, dialog) =>
        {
            watch.Hits.Enqueue($"dialog {dialog.Type} \"{Cut(dialog.Message)}\" on {Cut(watch.Current)}");
            try { await dialog.DismissAsync(); } catch (PlaywrightException) { }
        };
        return watch;
    }

    /// <summary>Opens <paramref name="url"/> and checks the live document.</summary>
    public async Task<IResponse?> VisitAsync(string url, string label)
    {
        Current = url;
        var response = await Page.GotoAsync(url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        if (response is not null && response.Status >= 500) Failures.Add($"{label}: {Cut(url)} answered {response.Status}");
        await CheckAsync(label);
        return response;
    }

    /// <summary>Checks the document as it is now (after scripts changed it), the way HTTP-level tests check served pages.</summary>
    public async Task CheckAsync(string label)
    {
        Visits++;
        var html = await Page.ContentAsync();
        Failures.AddRange(HtmlSafety.Problems(html, wholePage: true).Select(p => $"{label}: {Cut(Page.Url)} -> {p}"));
    }

    /// <summary>Sets form fields by script (no maxlength, no typing delay), then submits with the given button and waits for the next page.</summary>
    public async Task SubmitAsync(string formSelector, IReadOnlyDictionary<string, string> values, string buttonSelector, string label)
    {
        await Page.EvaluateAsync("""
            ([selector, values]) => {
              const form = document.querySelector(selector);
              for (const [name, value] of Object.entries(values)) {
                const field = form.elements.namedItem(name);
                if (!field) continue;
                if (field.tagName === 'SELECT' && ![...field.options].some(o => o.value === value)) field.add(new Option(value, value));
                field.value = value;
              }
            }
            """, new object[] { formSelector, values });
        Current = Page.Url + " (" + label + ")";
        var back = Page.Url;
        var statuses = new List<int>();
        void OnResponse(object? sender, IResponse r) { if (r.Request.IsNavigationRequest && r.Frame == Page.MainFrame) lock (statuses) statuses.Add(r.Status); }
        Page.Response += OnResponse;
        try
        {
#pragma warning disable CS0612, CS0618 // the one wait that covers a POST, its redirect and the final load
            await Page.RunAndWaitForNavigationAsync(() => Page.ClickAsync(buttonSelector), new PageRunAndWaitForNavigationOptions { WaitUntil = WaitUntilState.Load });
#pragma warning restore CS0612, CS0618
        }
        catch (PlaywrightException e) when (e.Message.Contains("ERR_HTTP_RESPONSE_CODE_FAILURE", StringComparison.Ordinal))
        {
            // An error status with an empty body (Chromium shows its own error page): a refusal, unless a 5xx.
            int[] seen;
            lock (statuses) seen = [.. statuses];
            if (seen.Any(x => x >= 500)) Failures.Add($"{label}: {Cut(Current)} answered {string.Join(",", seen)}");
            Refused.Add($"{label}: {string.Join(",", seen)} (empty body) on {Cut(Current)}");
            await Page.WaitForURLAsync("chrome-error://**", new() { Timeout = 5_000 }).ContinueWith(_ => { });
            await Page.GotoAsync(back.Split('?')[0]);
        }
        finally { Page.Response -= OnResponse; }
        await CheckAsync(label);
    }

    public async Task SignInAsync()
    {
        await Page.GotoAsync("/admin/signin");
        await SubmitAsync("main form", new Dictionary<string, string> { ["Name"] = SiteFactory.Moderator, ["Password"] = SiteFactory.Password }, "main form button[type=submit]", "sign-in");
        Assert.DoesNotContain("/admin/signin", Page.Url, StringComparison.Ordinal);
    }

    /// <summary>Every failure and every canary call so far, in one assertion.</summary>
    public void AssertClean(string what)
    {
        var all = Hits.Select(h => "canary: " + h).Concat(Failures).ToList();
        HtmlSafety.AssertNone(all, what);
    }

    public static string Cut(string s) => (s.Length > 140 ? s[..140] + "…" : s).Replace("\n", "\\n");
}
