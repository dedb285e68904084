using System.Text;
using Microsoft.AspNetCore.Hosting;
using PaperCatalog.Web.Tests.Infrastructure;

namespace PaperCatalog.Web.Tests.Security;

/// <summary>The site over a given list, with the Content-Security-Policy header on (default) or off.</summary>
public sealed class SecurityFactory : CatalogFactory
{
    public bool ContentSecurityPolicy { get; init; } = true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        if (!ContentSecurityPolicy) builder.UseSetting("Security:ContentSecurityPolicy", "false");
        // Hostile input must reach validation, rendering and storage, not stop at the rate limit (tested on its own).
        builder.UseSetting("Submissions:RatePermits", "1000000");
        builder.UseSetting("Submissions:PreviewPermits", "1000000");
    }
}

/// <summary>
/// A list of one topic whose papers carry the XSS vectors: in their intros (a few per intro; a vector that opens a
/// block which could swallow the next, like a code fence, gets an intro of its own), and in titles and affiliations.
/// </summary>
public sealed class HostileList : IDisposable
{
    public HostileList()
    {
        Folder = Path.Combine(Path.GetTempPath(), "papercatalog-web-tests", "hostile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        var groups = new List<List<string>>();
        foreach (var vector in XssVectors.All)
        {
            var alone = vector.Contains('\n') || vector.Contains("```") || vector.Contains("~~~") || vector.Contains("$$") || vector.StartsWith("    ", StringComparison.Ordinal) || vector.Contains(":::");
            if (alone || groups.Count == 0 || groups[^1].Count >= 6) groups.Add([]);
            groups[^1].Add(vector);
            if (alone) groups.Add([]);
        }
        groups.RemoveAll(g => g.Count == 0);
        var list = new StringBuilder("# Hostile list\n\nA list whose intros are cross-site-scripting vectors <img src=x onerror=alert(1)>.\n\n## Hostile\n\n")
            .Append("Last update of citation was on 28th July, 2024.\n\n")
            .Append("|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n");
        for (var i = 0; i < groups.Count; i++)
        {
            var dir = Path.Combine(Folder, "hostile", $"p{i}");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "README.md"), $"# Hostile paper {i}\n\n## Core Idea\n\n" + string.Join("\n\n", groups[i]) + "\n");
            var inline = Inline(groups[i][0]);
            list.Append(CultureInvariant($"| K{i} | **Hostile paper {i} {inline}** | [[pdf](https://arxiv.org/abs/2401.{i + 10000:D5})] [[intro](hostile/p{i}/README.md)] | {inline} | 2024.01 | {i} |\n"));
        }
        ListPath = Path.Combine(Folder, "README.md");
        File.WriteAllText(ListPath, list.ToString());
        IntroCount = groups.Count;
    }

    public string Folder { get; }
    public string ListPath { get; }
    public int IntroCount { get; }

    /// <summary>A vector squeezed into one table cell (no pipes, emphasis or line breaks).</summary>
    private static string Inline(string vector) =>
        new string(vector.Select(c => c is '|' or '*' or '`' or '[' or ']' or '\\' || char.IsControl(c) ? ' ' : c).ToArray()).Trim() is var s && s.Length > 150 ? s[..150] : s;

    private static string CultureInvariant(FormattableString s) => FormattableString.Invariant(s);

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The hostile list served in memory, shared by the HTTP-level XSS tests.</summary>
public sealed class HostileSite : IDisposable
{
    public HostileList List { get; } = new();
    public SecurityFactory Factory { get; }

    public HostileSite() => Factory = new SecurityFactory { Source = List.ListPath };

    public void Dispose()
    {
        Factory.Dispose();
        List.Dispose();
    }
}
