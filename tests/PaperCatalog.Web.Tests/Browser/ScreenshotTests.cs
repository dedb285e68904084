using Microsoft.Playwright;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>
/// Every page type at desktop (1280 px) and phone (390 px) width, light and dark, saved as full-page screenshots for a
/// person to look at (folder: $PAPERCATALOG_ARTIFACTS/screenshots, default tests/artifacts/screenshots in the repository,
/// git-ignored). At phone width no page may scroll sideways; a wide table scrolls inside its own .table-scroll.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ScreenshotTests(E2EFixture fixture)
{
    public static string Folder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("PAPERCATALOG_ARTIFACTS");
            if (string.IsNullOrWhiteSpace(root)) root = Path.Combine(CatalogFactory.RepositoryRoot, "tests", "artifacts");
            return Path.Combine(Path.GetFullPath(root), "screenshots");
        }
    }

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in PageType.Names)
        {
            data.Add(name, 1280);
            data.Add(name, 390);
        }
        return data;
    }

    // Elements sticking out past the right edge of the viewport, outside any scroll container of their own.
    private const string Overflow = """
        () => {
          const width = window.innerWidth;
          if (document.documentElement.scrollWidth <= width) return [];
          return Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > width + 0.5 && !el.closest('.table-scroll'))
            .filter(el => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false; return true; })
            .slice(0, 6)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(el.getBoundingClientRect().right));
        }
        """;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PageType_IsCapturedLightAndDark_AndFitsThePhoneWidth(string name, int width)
    {
        var type = PageType.Named(fixture, name);
        var context = await fixture.NewContextAsync(type.Moderator, width, width < 600 ? 844 : 800);
        try
        {
            var page = await context.NewPageAsync();
            var problems = new PageProblems(page);
            await type.OpenAsync(page, fixture.BaseUrl);
            Directory.CreateDirectory(Folder);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                var file = Path.Combine(Folder, $"{name}-{width}-{scheme.ToString().ToLowerInvariant()}.png");
                await page.ScreenshotAsync(new() { Path = file, FullPage = true, Animations = ScreenshotAnimations.Disabled });
                Assert.True(new FileInfo(file).Length > 1000, $"{file} is empty");
                if (width < 600)
                {
                    var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                    var innerWidth = await page.EvaluateAsync<int>("() => window.innerWidth");
                    var culprits = await page.EvaluateAsync<string[]>(Overflow);
                    Assert.True(scrollWidth <= innerWidth, $"{name} ({type.Path}) is {scrollWidth - innerWidth}px wider than a {innerWidth}px phone: {string.Join(", ", culprits)}");
                }
            }
            problems.AssertNone();
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
