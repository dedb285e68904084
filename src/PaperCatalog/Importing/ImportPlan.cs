using PaperCatalog.Markdown;

namespace PaperCatalog.Importing;

/// <summary>
/// Everything an import needs, read from the list's folder and checked, before any database is touched:
/// the parsed list, each row's intro, and every diagnostic (file and line).
/// </summary>
public sealed class ImportPlan
{
    private readonly HashSet<string> _introFiles;
    private readonly string _listReadme;
    private readonly Dictionary<ParsedPaper, LoadedIntro> _intros;

    private ImportPlan(string listPath, ListSource source, ParsedList list, IntroLoader loader, Dictionary<ParsedPaper, LoadedIntro> intros, List<Diagnostic> diagnostics)
    {
        ListPath = listPath;
        Source = source;
        List = list;
        Loader = loader;
        _intros = intros;
        Diagnostics = diagnostics;
        _introFiles = intros.Values.Select(i => i.FullPath).ToHashSet(StringComparer.Ordinal);
        _listReadme = Path.GetFullPath(Path.Combine(loader.Root, "README.md"));
    }

    /// <summary>The list file's path, as given.</summary>
    public string ListPath { get; }

    /// <summary>
    /// Set when the list, its intros and their images are as the last import found them and nothing was written since
    /// (see <see cref="ImportState"/>): then nothing was parsed, <see cref="List"/> is empty and applying the plan writes
    /// nothing. The diagnostics are that import's warnings.
    /// </summary>
    internal ImportState.Match? Unchanged { get; private init; }

    /// <summary>The list file as read, kept by the import so that <c>catalog export</c> can write it back.</summary>
    public ListSource Source { get; }
    public ParsedList List { get; }
    public IntroLoader Loader { get; }
    public IReadOnlyDictionary<ParsedPaper, LoadedIntro> Intros => _intros;
    public IReadOnlyList<Diagnostic> Diagnostics { get; }
    /// <summary>How long reading and checking the list and its intros took (the import benchmark reports it).</summary>
    public TimeSpan LoadTime { get; private set; }
    public bool HasErrors => Diagnostics.Any(d => d.Severity == Severity.Error);
    public int WarningCount => Diagnostics.Count(d => d.Severity == Severity.Warning);
    public int ErrorCount => Diagnostics.Count(d => d.Severity == Severity.Error);

    /// <summary>
    /// Reads and checks the list at <paramref name="listPath"/> and the intros it links. <paramref name="known"/>: the intro
    /// files as the store last imported them, by path under the list's folder (see <see cref="CatalogImporter.LoadAsync(string, CancellationToken)"/>);
    /// an unchanged one is taken from there instead of being read and parsed.
    /// </summary>
    public static ImportPlan Load(string listPath, MarkdownRenderer markdown, IReadOnlyDictionary<string, KnownIntro>? known = null)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var loader = new IntroLoader(listPath, markdown, known);
        var display = loader.Display(Path.GetFullPath(listPath));
        var source = ListSource.Read(listPath);
        var list = ListParser.Parse(source.Text, display);
        var diagnostics = list.Diagnostics.ToList();
        // The description becomes the home page's "About this list": it renders under the same budget as the intros.
        if (list.Description.Length > 0 && markdown.Inspect(list.Description).Problem is { } problem)
            diagnostics.Add(new(display, list.DescriptionLine + problem.Line - 1, Severity.Error, "the list's description cannot be rendered: " + problem.Message));
        var intros = new Dictionary<ParsedPaper, LoadedIntro>();
        var byFile = new Dictionary<string, ParsedPaper>(StringComparer.Ordinal);
        // Reading and checking an intro (a Markdown parse) is most of an unchanged re-import: it runs on every core, and
        // each intro's diagnostics are kept apart and joined in list order, so the report is the same on any machine.
        var papers = list.Papers.ToList();
        var loaded = new (LoadedIntro? Intro, List<Diagnostic> Diagnostics)[papers.Count];
        Parallel.For(0, papers.Count, i =>
        {
            var paper = papers[i];
            if (paper.IntroLink is null || !IntroLoader.LooksLocal(paper.IntroLink)) return;
            var found = new List<Diagnostic>();
            loaded[i] = (loader.Load(paper.IntroLink, display, paper.Line, found), found);
        });
        for (var i = 0; i < papers.Count; i++)
        {
            var paper = papers[i];
            if (loaded[i].Diagnostics is { } found) diagnostics.AddRange(found);
            if (loaded[i].Intro is not { } intro) continue;
            if (byFile.TryGetValue(intro.FullPath, out var other))
            {
                diagnostics.Add(new(display, paper.Line, Severity.Warning, $"intro '{intro.DisplayPath}' is also the intro of '{other.Title}' (line {other.Line})"));
            }
            else byFile[intro.FullPath] = paper;
            intros[paper] = intro;
        }
        var plan = new ImportPlan(listPath, source, list, loader, intros, diagnostics);
        foreach (var intro in intros.Values) plan.CheckLinks(intro, diagnostics);
        diagnostics.Sort((a, b) => a.File == b.File ? a.Line.CompareTo(b.Line) : string.CompareOrdinal(a.File, b.File));
        plan.LoadTime = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return plan;
    }

    /// <summary>The plan of a list found unchanged since the last import (<paramref name="match"/>): nothing parsed, that import's warnings.</summary>
    internal static ImportPlan Same(string listPath, MarkdownRenderer markdown, ImportState.Match match, TimeSpan loadTime)
    {
        var loader = new IntroLoader(listPath, markdown);
        var diagnostics = match.Summary.Warnings.Select(w => new Diagnostic(w.File, w.Line, Severity.Warning, w.Message)).ToList();
        var list = new ParsedList(loader.Display(Path.GetFullPath(listPath)), null, [], diagnostics);
        var source = new ListSource(Path.GetFileName(listPath), "", Bom: false) { Hash = match.Row.ListHash };
        return new ImportPlan(listPath, source, list, loader, [], diagnostics) { Unchanged = match, LoadTime = loadTime };
    }

    /// <summary>
    /// Where a link in the list's Markdown leads; the one rule that both the check (warnings) and the writer
    /// (site URLs) follow. <paramref name="media"/> holds the images imported beside the linking intro.
    /// </summary>
    internal LinkTarget Classify(MarkdownLink link, string folder, IReadOnlySet<string> media)
    {
        var url = link.Url;
        if (url.StartsWith('#')) return new(LinkKind.Anchor, url[1..], "");
        if (!IntroLoader.LooksLocal(url)) return new(LinkKind.External, url, "");
        var fragment = url.IndexOf('#') is var h and >= 0 ? url[h..] : "";
        var target = Loader.ResolveLocal(url, folder);
        // A GitHub link that does not reach a file of this list is a file in some other repository.
        if (target is null) return IntroLoader.IsGitHubBlob(url) ? new(LinkKind.External, url, "") : new(LinkKind.Unresolved, url, "");
        var relative = Path.GetRelativePath(folder, target).Replace('\\', '/');
        if (media.Contains(relative)) return new(LinkKind.Media, relative, "");
        if (link.IsImage) return new(LinkKind.Unresolved, url, "");
        if (_introFiles.Contains(target)) return new(LinkKind.Intro, target, fragment);
        if (target == _listReadme) return new(LinkKind.ListHome, target, "");
        return IntroLoader.IsGitHubBlob(url) ? new(LinkKind.External, url, "") : new(LinkKind.Unresolved, url, "");
    }

    /// <summary>Links inside an intro to local files must reach another intro of the list, an image beside it, or the list.</summary>
    private void CheckLinks(LoadedIntro intro, List<Diagnostic> diagnostics)
    {
        var media = intro.Media.Select(m => m.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var link in intro.Links.Where(l => !l.IsImage))
        {
            if (Classify(link, intro.Folder, media).Kind != LinkKind.Unresolved) continue;
            diagnostics.Add(new(intro.DisplayPath, link.Line, Severity.Warning,
                $"link '{link.Url}' does not lead to another paper's intro in the list; it is shown as plain text"));
        }
    }
}

/// <summary>A list file's name and text; <see cref="Bom"/> when it began with a UTF-8 byte order mark (which the text leaves out).</summary>
public sealed record ListSource(string FileName, string Text, bool Bom)
{
    /// <summary>SHA-256 of the file's bytes (see <see cref="ImportState"/>).</summary>
    public string Hash { get; init; } = "";

    /// <summary>Reads the file as <see cref="File.ReadAllText(string)"/> does, remembering the byte order mark.</summary>
    public static ListSource Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var bom = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]);
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return new ListSource(Path.GetFileName(path), reader.ReadToEnd(), bom) { Hash = ImportState.Hash(bytes) };
    }
}

/// <summary>What a link in the list's Markdown reaches.</summary>
internal enum LinkKind { Anchor, External, Intro, Media, ListHome, Unresolved }

/// <summary>
/// A classified link: <see cref="Value"/> is the anchor name, the external URL, the intro's full path or the
/// image's path relative to the intro; <see cref="Fragment"/> is a "#section" to keep on intro links.
/// </summary>
internal readonly record struct LinkTarget(LinkKind Kind, string Value, string Fragment);
