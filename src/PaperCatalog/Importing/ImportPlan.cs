using PaperCatalog.Markdown;

namespace PaperCatalog.Importing;

/// <summary>
/// Everything an import needs, read from the list's folder and checked, before any database is touched:
/// the parsed list, each row's intro, and every diagnostic (file and line).
/// </summary>
public sealed class ImportPlan
{
    private ImportPlan(ParsedList list, IntroLoader loader, Dictionary<ParsedPaper, LoadedIntro> intros, List<Diagnostic> diagnostics)
    {
        List = list;
        Loader = loader;
        Intros = intros;
        Diagnostics = diagnostics;
    }

    public ParsedList List { get; }
    public IntroLoader Loader { get; }
    public IReadOnlyDictionary<ParsedPaper, LoadedIntro> Intros { get; }
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
    public int WarningCount => Diagnostics.Count(d => d.Severity == Severity.Warning);
    public int ErrorCount => Diagnostics.Count(d => d.Severity == Severity.Error);

    /// <summary>Reads and checks the list at <paramref name="listPath"/> and the intros it links.</summary>
    public static ImportPlan Load(string listPath, MarkdownRenderer markdown)
    {
        var loader = new IntroLoader(listPath, markdown);
        var display = loader.Display(Path.GetFullPath(listPath));
        var list = ListParser.Parse(File.ReadAllText(listPath), display);
        var diagnostics = list.Diagnostics.ToList();
        var intros = new Dictionary<ParsedPaper, LoadedIntro>();
        var byFile = new Dictionary<string, ParsedPaper>(StringComparer.Ordinal);
        foreach (var paper in list.Papers)
        {
            if (paper.IntroLink is null || !IntroLoader.LooksLocal(paper.IntroLink)) continue;
            var intro = loader.Load(paper.IntroLink, display, paper.Line, diagnostics);
            if (intro is null) continue;
            if (byFile.TryGetValue(intro.FullPath, out var other))
            {
                diagnostics.Add(new(display, paper.Line, Severity.Warning, $"intro '{intro.DisplayPath}' is also the intro of '{other.Title}' (line {other.Line})"));
            }
            else byFile[intro.FullPath] = paper;
            intros[paper] = intro;
        }
        foreach (var (paper, intro) in intros) CheckLinks(intro, loader, byFile, diagnostics, markdown);
        diagnostics.Sort((a, b) => a.File == b.File ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.File, b.File));
        return new ImportPlan(list, loader, intros, diagnostics);
    }

    /// <summary>Links inside an intro to local files must reach another intro of the list or an image.</summary>
    private static void CheckLinks(LoadedIntro intro, IntroLoader loader, Dictionary<string, ParsedPaper> byFile, List<Diagnostic> diagnostics, MarkdownRenderer markdown)
    {
        var folder = Path.GetDirectoryName(intro.FullPath)!;
        foreach (var link in markdown.LinksOf(intro.Markdown))
        {
            if (link.IsImage || link.Url.StartsWith('#') || !IntroLoader.LooksLocal(link.Url)) continue;
            var target = loader.ResolveLocal(link.Url, folder);
            if (target is not null && (byFile.ContainsKey(target) || (IntroLoader.ContentTypeOf(target) is not null && File.Exists(target)))) continue;
            if (target is not null && target == Path.GetFullPath(Path.Combine(loader.Root, "README.md"))) continue;
            if (IntroLoader.IsGitHubBlob(link.Url)) continue; // a file in some other repository: an ordinary link
            diagnostics.Add(new(intro.DisplayPath, link.Line, Severity.Warning,
                $"link '{link.Url}' does not lead to another paper's intro in the list; it is shown as plain text"));
        }
    }
}
