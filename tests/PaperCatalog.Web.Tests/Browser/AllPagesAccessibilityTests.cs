using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PaperCatalog.Web.Tests.Browser;

/// <summary>axe-core on every page type, light and dark: no violation of serious or critical impact.</summary>
[Collection(E2ECollection.Name)]
public sealed class AllPagesAccessibilityTests(E2EFixture fixture)
{
    public static TheoryData<string> Pages => PageType.NameData();

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task PageType_HasNoSeriousAccessibilityViolations_LightAndDark(string name)
    {
        var type = PageType.Named(fixture, name);
        var context = await fixture.NewContextAsync(type.Moderator);
        try
        {
            var page = await context.NewPageAsync();
            await type.OpenAsync(page, fixture.BaseUrl);
            var serious = new List<string>();
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                var result = await page.RunAxe();
                Assert.NotEmpty(result.Passes); // axe really ran its rules on the page
                serious.AddRange(result.Violations.Where(v => v.Impact is "serious" or "critical").Select(v =>
                    $"{scheme}: {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(4).Select(n => string.Join(" ", n.Target) + " " + string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))))})"));
            }
            Assert.True(serious.Count == 0, $"{name} ({type.Path}):\n" + string.Join("\n", serious));
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
