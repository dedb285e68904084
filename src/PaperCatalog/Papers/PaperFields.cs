using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PaperCatalog.Citations;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Submissions;

namespace PaperCatalog.Papers;

/// <summary>
/// What one paper says, as every writer hands it to <see cref="PaperStore"/>: the importer from a list row, approval and
/// the moderators' edit from a form. Every member is required, so a writer that does not fill a new field does not
/// compile.
/// </summary>
public sealed record PaperContent
{
    public required string Title { get; init; }
    public required IReadOnlyList<string> Keywords { get; init; }
    public required string? Venue { get; init; }
    /// <summary>The paper itself (arXiv, DOI, a PDF, a venue's page); its arXiv id and DOI are read from it.</summary>
    public required string? PdfUrl { get; init; }
    /// <summary>The paper's code repository: an http(s) address, or null.</summary>
    public required string? CodeUrl { get; init; }
    /// <summary>The authors in order; empty when unknown.</summary>
    public required IReadOnlyList<string> Authors { get; init; }
    /// <summary>An intro elsewhere, when the list links one that is not part of it.</summary>
    public required string? IntroUrl { get; init; }
    public required string? Affiliation { get; init; }
    /// <summary>YYYY.MM (see <see cref="PaperDates"/>).</summary>
    public required string? Published { get; init; }
    /// <summary>Null means unknown, not zero.</summary>
    public required long? Citations { get; init; }
    public required string? IntroMarkdown { get; init; }
    /// <summary>The intro rendered and sanitised, once, by the writer (its links depend on where it came from).</summary>
    public required string? IntroHtml { get; init; }
    /// <summary>The images beside the intro; null leaves the stored ones as they are (a moderator's edit has none to give).</summary>
    public IReadOnlyList<LoadedMedia>? Media { get; init; }
}

/// <summary>One column of <c>papers</c> that holds what a paper says, and how its value comes from <see cref="PaperContent"/>.</summary>
/// <param name="Column">The column in <c>papers</c> (a constant of this file, never input).</param>
/// <param name="Value">The value stored: a string, a long, or null.</param>
/// <param name="Row">The <see cref="PaperRow"/> property that reads it back (<c>p.column AS Row</c>), or null when tables do not show it.</param>
/// <param name="Submitted">The column of <c>submissions</c> that holds it while a submission waits, or null when forms do not give it.</param>
/// <param name="Rendered">True for a value rendered from the others (the intro's HTML): the content hash leaves it out and takes
/// what it is rendered from, so an import can tell an unchanged paper before rendering anything.</param>
/// <param name="Derived">True for a value computed from the other fields for the store's own use (the citation key's
/// basis): neither hash takes it, since what it is computed from is hashed, and a store made before it held it has the
/// same hashes as before.</param>
public sealed record PaperField(string Column, Func<PaperContent, object?> Value, string? Row = null, string? Submitted = null, bool Rendered = false, bool Derived = false);

/// <summary>
/// The one description of a paper's fields. The store's INSERT and UPDATE, their bindings, the content hash and the
/// columns of <see cref="PaperRow"/> are all built from <see cref="All"/>, so a field named here is written, hashed and
/// read everywhere; <c>PaperFieldsTests</c> checks that each one also reaches the schema, the read model and the forms.
/// </summary>
public static class PaperFields
{
    public static readonly IReadOnlyList<PaperField> All =
    [
        new("title", c => c.Title, nameof(PaperRow.Title), "title"),
        new("title_key", c => Slugs.TitleKey(c.Title), Submitted: "title_key"),
        new("venue", c => c.Venue, nameof(PaperRow.Venue), "venue"),
        new("pdf_url", c => c.PdfUrl, nameof(PaperRow.PdfUrl), "link"),
        new("code_url", c => c.CodeUrl, nameof(PaperRow.CodeUrl), "code_url"),
        // One name per line: names hold commas ("Smith, J."), never line breaks; exports read it as a list.
        new("authors", c => c.Authors.Count == 0 ? null : string.Join('\n', c.Authors), nameof(PaperRow.AuthorList), "authors"),
        new("arxiv_id", c => Identifiers.ArxivId(c.PdfUrl), nameof(PaperRow.ArxivId), "arxiv_id"),
        new("doi", c => Identifiers.Doi(c.PdfUrl), Submitted: "doi"),
        new("intro_url", c => c.IntroUrl, nameof(PaperRow.IntroUrl)),
        new("affiliation", c => c.Affiliation, nameof(PaperRow.Affiliation), "affiliation"),
        new("published", c => c.Published, nameof(PaperRow.Published), "published"),
        new("citations", c => c.Citations, nameof(PaperRow.Citations), "citations"),
        new("intro_markdown", c => c.IntroMarkdown, Submitted: "intro_markdown"),
        new("intro_html", c => c.IntroHtml, Submitted: "intro_html", Rendered: true),
        // Stored so that citing one paper reads only the papers whose key could collide with its own (CitationQueries).
        new("citation_base", c => CitationKeys.Of(c.Title, c.Authors, c.Published), nameof(PaperRow.CitationBase), Derived: true),
    ];

    /// <summary>The fields a submission holds, in <see cref="All"/>'s order.</summary>
    public static readonly IReadOnlyList<PaperField> SubmittedFields = All.Where(f => f.Submitted is not null).ToList();

    /// <summary>What a list row says, with its intro (from the list's folder) rendered for this site.</summary>
    public static PaperContent FromList(ParsedPaper paper, LoadedIntro? intro, string? introHtml) => FromList(paper, intro, intro?.Markdown, introHtml);

    private static PaperContent FromList(ParsedPaper paper, LoadedIntro? intro, string? introMarkdown, string? introHtml) => new()
    {
        Title = paper.Title,
        Keywords = paper.Keywords,
        Venue = paper.Venue,
        PdfUrl = paper.PdfUrl,
        // The same rule as the forms: a code link is a web address (a relative or script link is no repository).
        CodeUrl = PaperUrls.IsWebAddress(paper.CodeUrl) ? paper.CodeUrl : null,
        Authors = paper.Authors,
        IntroUrl = intro is null ? paper.IntroLink : null,
        Affiliation = paper.Affiliation,
        Published = paper.Published,
        Citations = paper.Citations,
        IntroMarkdown = introMarkdown,
        IntroHtml = introHtml,
        Media = intro?.Media ?? [],
    };

    /// <summary>
    /// What a validated form says, trimmed, empty optional fields as null. <paramref name="introHtml"/> is its intro as
    /// rendered; <paramref name="introUrl"/> an external intro the form does not show (kept from the stored paper).
    /// </summary>
    public static PaperContent FromForm(SubmissionForm form, string? introHtml, string? introUrl = null)
    {
        static string? Opt(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        var citations = Opt(form.Citations)?.Replace(",", "", StringComparison.Ordinal);
        return new PaperContent
        {
            Title = (form.Title ?? "").Trim(),
            Keywords = form.KeywordList,
            Venue = Opt(form.Venue),
            PdfUrl = (form.Link ?? "").Trim(),
            CodeUrl = Opt(form.Code),
            Authors = form.AuthorList,
            IntroUrl = introUrl,
            Affiliation = (form.Affiliation ?? "").Trim(),
            Published = PaperDates.Month(form.Date) ?? (form.Date ?? "").Trim(),
            Citations = citations is null ? null : long.Parse(citations, CultureInfo.InvariantCulture),
            IntroMarkdown = SubmissionForm.IntroText(form.Intro),
            IntroHtml = introHtml,
        };
    }

    /// <summary>A stored paper (or submission) as the form that edits it; topic, keywords and the submitter are the caller's.</summary>
    public static SubmissionForm ToForm(PaperRow row, string? introMarkdown) => new()
    {
        Title = row.Title,
        Link = row.PdfUrl,
        Code = row.CodeUrl,
        Authors = string.Join(row.Authors.Any(a => a.Contains(',', StringComparison.Ordinal)) ? "; " : ", ", row.Authors),
        Topic = row.TopicSlug,
        Keywords = string.Join(", ", row.Keywords.Select(k => k.Name)),
        Affiliation = row.Affiliation,
        Date = row.Published,
        Venue = row.Venue,
        Citations = row.Citations?.ToString(CultureInfo.InvariantCulture),
        Intro = introMarkdown,
    };

    /// <summary>The stored value of every field of <paramref name="content"/>, in <see cref="All"/>'s order.</summary>
    public static object?[] Values(PaperContent content)
    {
        var values = new object?[All.Count];
        for (var i = 0; i < values.Length; i++) values[i] = All[i].Value(content);
        return values;
    }

    /// <summary>"p.title AS Title, ..." for every field a <see cref="PaperRow"/> shows.</summary>
    internal static string RowColumns(string alias) => RowColumns(alias, _ => true);

    /// <summary>"p.title AS Title, ..." for the <see cref="PaperRow"/> properties <paramref name="wanted"/> names.</summary>
    internal static string RowColumns(string alias, Func<string, bool> wanted) =>
        string.Join(", ", All.Where(f => f.Row is not null && wanted(f.Row)).Select(f => $"{alias}.{f.Column} AS {f.Row}"));

    /// <summary>
    /// What the list said about a paper, as one string: every field, its keywords, its images and its topic (a row
    /// moved to another topic is a changed row; a row moved within its topic is not, see <see cref="PaperStore"/>).
    /// The rendered intro is not hashed but what it is rendered from: the Markdown, the renderer's version and
    /// <paramref name="linkTargets"/>, where each of the intro's links leads on the site (another paper's page moves with
    /// that paper's slug). So the hash is known before the intro is rendered, and an unchanged one is not rendered again.
    /// </summary>
    public static string Hash(object?[] values, PaperContent content, long topicId, IEnumerable<string?>? linkTargets = null) =>
        SourceHashPrefix + Digest(values, content, topicId, linkTargets, withRendered: false);

    /// <summary>
    /// A list row's source key: <see cref="Hash"/> with the intro file's path (<paramref name="introPath"/>, under the list's
    /// folder), size and last write time in place of its text, so it is known without reading the intro. Equal keys mean
    /// equal hashes, as long as a file of the same size and time holds the same text (the rule <see cref="KnownIntro"/>
    /// follows). Null when the intro's file was written too recently to be told apart that way (see <see cref="LoadedIntro.File"/>).
    /// </summary>
    public static string? SourceKey(ParsedPaper paper, LoadedIntro? intro, string? introPath, long topicId, IEnumerable<string?>? linkTargets)
    {
        if (intro is not null && (intro.File is null || introPath is null)) return null;
        var file = intro?.File is { } f ? string.Create(CultureInfo.InvariantCulture, $"file:{introPath}\u001f{f.Size}\u001f{f.Modified}") : null;
        var content = FromList(paper, intro, file, introHtml: null);
        return SourceKeyPrefix + Digest(Values(content), content, topicId, linkTargets, withRendered: false);
    }

    /// <summary>What <see cref="SourceKey"/> begins with (a key is never equal to a content hash).</summary>
    public const string SourceKeyPrefix = "key:";

    /// <summary>What <see cref="Hash"/> begins with; a stored hash without it is a <see cref="LegacyHash"/>.</summary>
    public const string SourceHashPrefix = "src:";

    /// <summary>
    /// The hash stores written before <see cref="Hash"/> covered the source: over the rendered intro as well. An import
    /// compares it only for a list paper a moderator edited since, so that upgrading does not put the list's version back
    /// over an edit whose row has not changed (see <c>CatalogImporter</c>).
    /// </summary>
    public static string LegacyHash(object?[] values, PaperContent content, long topicId) =>
        Digest(values, content, topicId, linkTargets: null, withRendered: true);

    private static string Digest(object?[] values, PaperContent content, long topicId, IEnumerable<string?>? linkTargets, bool withRendered)
    {
        const char sep = '\u001f';
        var sb = new StringBuilder(256 + (content.IntroMarkdown?.Length ?? 0) + (withRendered ? content.IntroHtml?.Length ?? 0 : 0));
        sb.Append(MarkdownRenderer.Version).Append(sep).Append(topicId);
        for (var i = 0; i < values.Length; i++)
        {
            if (All[i].Derived || (All[i].Rendered && !withRendered)) continue;
            var value = values[i];
            sb.Append(sep);
            switch (value)
            {
                case null: sb.Append('\u0000'); break; // unknown is not empty
                case string s: sb.Append(s); break;
                case IFormattable f: sb.Append(f.ToString(null, CultureInfo.InvariantCulture)); break;
                default: throw new InvalidOperationException($"A paper field holds a {value.GetType().Name}; fields hold strings and numbers.");
            }
        }
        sb.Append(sep).AppendJoin('\u001e', content.Keywords);
        foreach (var m in content.Media ?? []) sb.Append(sep).Append(m.Path).Append(sep).Append(m.ContentType).Append(sep).Append(IntroLoader.Hash(m.Bytes));
        foreach (var target in linkTargets ?? []) sb.Append('\u001d').Append(target ?? "\u0000");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
