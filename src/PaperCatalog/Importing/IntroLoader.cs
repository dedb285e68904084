using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PaperCatalog.Markdown;

namespace PaperCatalog.Importing;

/// <summary>
/// An intro page read from the list's folder, with the images it references. <paramref name="Text"/> is null when the plan
/// does not hold it: for a file unchanged since the last import (see <see cref="KnownIntro"/>) the text is in the store, and
/// the importer fetches it only for a row whose source key changed; for a file read and checked now (<see cref="TextInFile"/>)
/// the importer reads it again when it renders the row (see <see cref="CatalogImporter"/>), so that a plan of 100,000
/// intros does not hold 100,000 texts.
/// </summary>
public sealed record LoadedIntro(string FullPath, string DisplayPath, string? Text, IReadOnlyList<LoadedMedia> Media, IReadOnlyList<MarkdownLink> Links)
{
    /// <summary>The intro's Markdown; only after it was read from the file or fetched from the store.</summary>
    public string Markdown => Text ?? throw new InvalidOperationException($"The text of '{DisplayPath}' is not held by the plan and was not fetched.");

    /// <summary>
    /// The file was read and checked by this plan and has settled (<see cref="File"/> is its size and time then): its text is
    /// read again when needed, and checked again if the size or time moved since.
    /// </summary>
    public bool TextInFile { get; init; }

    /// <summary>The file as the import found it (size and last write time), stored so the next import can skip it when unchanged.</summary>
    public KnownIntro? File { get; init; }

    /// <summary>
    /// The images the intro references as the import found them on disk (full path, size and last write time; size -1 for
    /// one that does not exist), so that an import can tell that none changed (see <see cref="ImportState"/>).
    /// </summary>
    public IReadOnlyList<FileProbe> MediaProbes { get; init; } = [];

    /// <summary>The intro's folder, that its relative links are read from.</summary>
    public string Folder => Path.GetDirectoryName(FullPath)!;
}

/// <summary>
/// An intro file as an earlier import read it: its size and last write time (UTC ticks) and the links found in it. A file
/// whose size and time are the same is taken as unchanged, as make and rsync do, and is neither read nor parsed again.
/// <see cref="Stored"/>: the store holds the file's text (its list paper's intro, not edited since), which the importer
/// fetches when it needs it; a file without it is read.
/// </summary>
public sealed record KnownIntro(long Size, long Modified, IReadOnlyList<MarkdownLink> Links, bool Stored)
{
    /// <summary>The links as stored in <c>intro_files.links</c>.</summary>
    public string LinksJson() => System.Text.Json.JsonSerializer.Serialize(Links.Select(l => new StoredLink(l.Url, l.IsImage, l.Line)));

    public static IReadOnlyList<MarkdownLink> ParseLinks(string json) =>
        (System.Text.Json.JsonSerializer.Deserialize<List<StoredLink>>(json) ?? []).Select(l => new MarkdownLink(l.Url, l.Image, l.Line)).ToList();

    private sealed record StoredLink(string Url, bool Image, int Line);
}

/// <summary>A file an import looked at: its full path, size (-1 when it was not there) and last write time in UTC ticks.</summary>
public sealed record FileProbe(string FullPath, long Size, long Modified);

/// <summary>An image beside an intro; <see cref="Path"/> is relative to the intro's folder, '/'-separated.</summary>
public sealed record LoadedMedia(string Path, string ContentType, byte[] Bytes);

/// <summary>
/// Resolves intro links to Markdown files under the list's folder (relative paths, or GitHub
/// <c>blob</c> URLs read as paths under the folder) and loads the images they reference.
/// </summary>
public sealed partial class IntroLoader(string listPath, MarkdownRenderer markdown, IReadOnlyDictionary<string, KnownIntro>? known = null)
{
    private const long MaxImageBytes = 5 * 1024 * 1024;
    private readonly string _root = Path.GetFullPath(Path.GetDirectoryName(Path.GetFullPath(listPath)) ?? ".");
    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>The folder that relative intro links are read from.</summary>
    public string Root => _root;

    private static readonly Dictionary<string, string> ImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".webp"] = "image/webp",
        [".avif"] = "image/avif",
    };

    /// <summary>Content type for an image file name, or null when it is not an image the site serves.</summary>
    public static string? ContentTypeOf(string fileName) =>
        ImageTypes.TryGetValue(Path.GetExtension(fileName), out var type) ? type : null;

    /// <summary>
    /// Maps a link (relative to <paramref name="baseFolder"/>, or a GitHub blob URL) to a full path under the
    /// list's folder; null when it points elsewhere (another website) or leaves the folder.
    /// </summary>
    public string? ResolveLocal(string link, string baseFolder)
    {
        var path = StripQueryAndFragment(link);
        if (path.Length == 0) return null;
        string relative;
        if (GitHubBlobRegex().Match(path) is { Success: true } github)
        {
            relative = github.Groups["path"].Value;
            baseFolder = _root;
        }
        else if (SchemeRegex().IsMatch(path))
        {
            return null;
        }
        else relative = path;

        relative = Uri.UnescapeDataString(relative).Replace('\\', '/');
        if (relative.Contains('\0')) return null; // no file has a NUL in its name, and Path.GetFullPath throws on one
        var full = relative.StartsWith('/')
            ? Path.GetFullPath(Path.Combine(_root, relative.TrimStart('/')))
            : Path.GetFullPath(Path.Combine(baseFolder, relative));
        if (!IsInside(full)) return null;
        if (Directory.Exists(full)) full = Path.Combine(full, "README.md");
        return full;
    }

    /// <summary>True when <paramref name="link"/> is a GitHub blob URL or a relative path (so it should be local).</summary>
    public static bool LooksLocal(string link) =>
        GitHubBlobRegex().IsMatch(link) || !SchemeRegex().IsMatch(link);

    /// <summary>True for <c>https://github.com/OWNER/REPO/blob/BRANCH/PATH</c> links.</summary>
    public static bool IsGitHubBlob(string link) => GitHubBlobRegex().IsMatch(link);

    /// <summary>Loads the intro linked from a list row, reporting problems against the list's line.</summary>
    public LoadedIntro? Load(string link, string listFile, int line, List<Diagnostic> diagnostics)
    {
        var full = ResolveLocal(link, _root);
        if (full is null && Uri.UnescapeDataString(link).Contains('\0'))
        {
            diagnostics.Add(new(listFile, line, Severity.Error, $"intro link '{link.Replace("\0", "\\0", StringComparison.Ordinal)}' is not a valid file path: it holds a NUL character"));
            return null;
        }
        if (full is null)
        {
            diagnostics.Add(new(listFile, line, Severity.Error, $"intro link '{link}' points outside the list's folder; link a Markdown file beside the list"));
            return null;
        }
        var info = new FileInfo(full);
        if (!info.Exists)
        {
            diagnostics.Add(new(listFile, line, Severity.Error, $"intro link '{link}' points to '{Display(full)}', which does not exist"));
            return null;
        }
        var display = Display(full);
        var folder = Path.GetDirectoryName(full)!;
        var media = new List<LoadedMedia>();
        var probes = new List<FileProbe>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? text;
        IReadOnlyList<MarkdownLink> links;
        // An unchanged file (same size and time as the last import read) was read and checked then: its links are the
        // store's, and so is its text, fetched only if the row changed. Reading and parsing every intro was most of an
        // unchanged re-import.
        if (known?.GetValueOrDefault(RelativePath(full)) is { Stored: true } last && last.Size == info.Length && last.Modified == info.LastWriteTimeUtc.Ticks)
        {
            (text, links) = (null, last.Links);
        }
        else
        {
            text = File.ReadAllText(full);
            MarkdownProblem? problem;
            (links, problem) = markdown.Inspect(text);
            if (problem is not null)
            {
                // Refused here, with the intro's own line, so the import writes nothing rather than a page with a notice.
                diagnostics.Add(new(display, problem.Line, Severity.Error, "intro cannot be rendered: " + problem.Message));
                return null;
            }
        }
        foreach (var image in links.Where(l => l.IsImage))
        {
            if (!LooksLocal(image.Url) || GitHubBlobRegex().IsMatch(image.Url)) continue; // remote images stay links
            var imagePath = ResolveLocal(image.Url, folder);
            if (imagePath is null || !imagePath.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                diagnostics.Add(new(display, image.Line, Severity.Warning, $"image '{image.Url}' is not inside the intro's folder; it is left out"));
                continue;
            }
            var relative = Path.GetRelativePath(folder, imagePath).Replace('\\', '/');
            if (!seen.Add(relative)) continue;
            var type = ContentTypeOf(imagePath);
            if (type is null)
            {
                diagnostics.Add(new(display, image.Line, Severity.Warning, $"image '{image.Url}' is not an svg, png, jpeg, gif, webp or avif file; it is left out"));
                continue;
            }
            if (!File.Exists(imagePath))
            {
                probes.Add(new FileProbe(imagePath, -1, 0));
                diagnostics.Add(new(display, image.Line, Severity.Warning, $"image '{image.Url}' does not exist; it is left out"));
                continue;
            }
            var imageFile = new FileInfo(imagePath);
            probes.Add(new FileProbe(imagePath, imageFile.Length, imageFile.LastWriteTimeUtc.Ticks));
            if (imageFile.Length > MaxImageBytes)
            {
                diagnostics.Add(new(display, image.Line, Severity.Warning, $"image '{image.Url}' is {imageFile.Length / 1024 / 1024} MB, over the 5 MB limit; it is left out"));
                continue;
            }
            media.Add(new LoadedMedia(relative, type, File.ReadAllBytes(imagePath)));
        }
        // A file written in the last seconds is not recorded, so the next import reads it (see Settled).
        var settled = Settled(info.LastWriteTimeUtc.Ticks);
        // A settled file's text is let go (read again when rendered); one written in the last seconds keeps it, since the
        // same size and time would not prove it is still the text that was checked.
        var inFile = settled && text is not null;
        return new LoadedIntro(full, display, inFile ? null : text, media, links)
        {
            File = settled ? new KnownIntro(info.Length, info.LastWriteTimeUtc.Ticks, links, Stored: false) : null,
            MediaProbes = probes,
            TextInFile = inFile,
        };
    }

    /// <summary>
    /// True for a file last written before the last seconds before this loader started: one written since could be written
    /// again within its time's resolution (a second on some file systems) with the same size (git's "racy" rule).
    /// </summary>
    internal bool Settled(long modifiedTicks) => modifiedTicks < (_started - TimeSpan.FromSeconds(2)).Ticks;

    /// <summary>A path under the list's folder as the store keeps it (<c>list_rows.intro_path</c>, <c>intro_files.path</c>).</summary>
    public string RelativePath(string full) => Path.GetRelativePath(_root, full).Replace('\\', '/');

    /// <summary>A path as a curator reads it: relative to the list's folder when inside it.</summary>
    public string Display(string full)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) ? full : relative;
    }

    internal static string Hash(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    private bool IsInside(string full) =>
        full == _root || full.StartsWith(_root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    internal static string StripQueryAndFragment(string link)
    {
        var cut = link.IndexOfAny(['#', '?']);
        return (cut >= 0 ? link[..cut] : link).Trim();
    }

    [GeneratedRegex(@"^[a-zA-Z][a-zA-Z0-9+.\-]*:")]
    private static partial Regex SchemeRegex();

    [GeneratedRegex(@"^https?://(?:www\.)?github\.com/[^/]+/[^/]+/(?:blob|raw|tree)/[^/]+/(?<path>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex GitHubBlobRegex();
}
