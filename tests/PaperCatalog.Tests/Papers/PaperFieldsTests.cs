using System.Reflection;
using Dapper;
using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Moderation;
using PaperCatalog.Papers;
using PaperCatalog.Search;
using PaperCatalog.Submissions;

namespace PaperCatalog.Tests.Papers;

/// <summary>
/// The places a paper's field must be named, each checked against <see cref="PaperFields"/>: the schema (papers and
/// submissions), the read model, the content hash, and the forms, through the real store. A field added in one place
/// and forgotten in another fails here instead of staying empty without a word.
/// </summary>
public sealed class PaperFieldsTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly CatalogDatabase _db;
    private static CancellationToken Ct => CancellationToken.None;

    public PaperFieldsTests() => _db = new CatalogDatabase(_temp.File("catalog.db"));

    public void Dispose() => _temp.Dispose();

    /// <summary>The columns of <c>papers</c> that are the store's own bookkeeping, not what a paper says.</summary>
    private static readonly string[] Bookkeeping = ["id", "slug", "topic_id", "position", "origin", "content_hash", "source_key", "added_at", "updated_at", "edited_by", "edited_at"];

    private async Task<List<string>> ColumnsAsync(string table)
    {
        await _db.MigrateAsync(Ct);
        await using var c = await _db.OpenAsync(Ct);
        // The table name is one of this test's constants.
        return (await c.QueryAsync<string>("SELECT name FROM pragma_table_info('" + table + "');")).ToList();
    }

    [Fact]
    public async Task EveryColumnOfPapers_IsAFieldOrTheStoresBookkeeping()
    {
        var columns = await ColumnsAsync("papers");
        Assert.Equal(columns.Order(), PaperFields.All.Select(f => f.Column).Concat(Bookkeeping).Order());
    }

    [Fact]
    public async Task EverySubmittedField_IsAColumnOfSubmissions()
    {
        var columns = await ColumnsAsync("submissions");
        Assert.All(PaperFields.SubmittedFields, f => Assert.Contains(f.Submitted, columns));
    }

    [Fact]
    public void EveryShownField_IsReadIntoAPropertyOfPaperRow()
    {
        // Dapper leaves a column without a property unread, silently: the property must exist (any visibility, settable).
        Assert.All(PaperFields.All.Where(f => f.Row is not null), f =>
            Assert.NotNull(typeof(PaperRow).GetProperty(f.Row!, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.SetMethod));
    }

    /// <summary>A paper with every part of its content given.</summary>
    private static PaperContent Full() => new()
    {
        Title = "GQA: Training Generalized Multi-Query Transformer Models",
        Keywords = ["GQA", "KV cache"],
        Venue = "EMNLP 2023",
        PdfUrl = "https://arxiv.org/abs/2305.13245",
        CodeUrl = "https://github.com/google/gqa",
        Authors = ["Joshua Ainslie", "James Lee-Thorp"],
        IntroUrl = "https://example.org/gqa-notes",
        Affiliation = "Google Research",
        Published = "2023.05",
        Citations = 335,
        IntroMarkdown = "# GQA\n\nGrouped queries.",
        IntroHtml = "<p>Grouped queries.</p>",
        Media = [new LoadedMedia("fig.png", "image/png", [1, 2, 3])],
    };

    /// <summary>The same paper with one property of its content changed (whatever its type).</summary>
    private static PaperContent Changed(PaperContent content, PropertyInfo property)
    {
        object? changed = property.GetValue(content) switch
        {
            string s => s + " (changed)",
            long l => l + 1,
            IReadOnlyList<string> list => list.Append("changed").ToList(),
            IReadOnlyList<LoadedMedia> media => media.Append(new LoadedMedia("other.png", "image/png", [9])).ToList(),
            var other => throw new InvalidOperationException($"PaperContent.{property.Name} is a {other?.GetType().Name}: teach this test how to change it."),
        };
        var copy = content with { };
        property.SetValue(copy, changed);
        return copy;
    }

    private static IEnumerable<PropertyInfo> ContentProperties() => typeof(PaperContent).GetProperties(BindingFlags.Instance | BindingFlags.Public);

    [Fact]
    public void EveryPartOfAPapersContent_ChangesItsHash()
    {
        // Reproduction: a field left out of the hash made a changed row report "unchanged", and its column stayed empty.
        var hash = new PaperRecord(Full(), topicId: 1).Hash;
        var sources = ContentProperties().Where(p => p.Name != nameof(PaperContent.IntroHtml));
        Assert.All(sources, p => Assert.NotEqual(hash, new PaperRecord(Changed(Full(), p), topicId: 1).Hash));
        Assert.NotEqual(hash, new PaperRecord(Full(), topicId: 2).Hash);
        Assert.Equal(hash, new PaperRecord(Full(), topicId: 1).Hash);
    }

    [Fact]
    public void TheHash_CoversWhatTheIntroIsRenderedFrom_NotTheRenderedHtml()
    {
        // An import hashes a row before rendering its intro, and renders only when the hash changed: so the HTML may not
        // count, and where the intro's links lead on the site (another paper's slug) must.
        var hash = new PaperRecord(Full(), topicId: 1, linkTargets: ["/papers/gqa"]).Hash;
        Assert.Equal(hash, new PaperRecord(Changed(Full(), typeof(PaperContent).GetProperty(nameof(PaperContent.IntroHtml))!), topicId: 1, linkTargets: ["/papers/gqa"]).Hash);
        Assert.NotEqual(hash, new PaperRecord(Full(), topicId: 1, linkTargets: ["/papers/gqa-2"]).Hash);
        Assert.NotEqual(hash, new PaperRecord(Full(), topicId: 1, linkTargets: [null]).Hash);
        Assert.Equal(hash, new PaperRecord(Full(), topicId: 1, linkTargets: ["/papers/gqa"]).WithIntro("<p>rendered</p>", search: null).Hash);
    }

    [Fact]
    public void EveryPartOfAPapersContent_IsStoredByAField_OrWithItsKeywordsAndImages()
    {
        var values = PaperFields.Values(Full());
        var stored = ContentProperties().Where(p => p.Name is not (nameof(PaperContent.Keywords) or nameof(PaperContent.Media)));
        Assert.All(stored, p => Assert.NotEqual(values, PaperFields.Values(Changed(Full(), p))));
    }

    /// <summary>A form with every field filled and valid; a new property of the form without a value here fails the test below.</summary>
    private static SubmissionForm FullForm() => new()
    {
        Title = "Orca: A Distributed Serving System for Transformer-Based Generative Models",
        Link = "https://www.usenix.org/conference/osdi22/presentation/yu",
        Code = "https://github.com/example/orca",
        Authors = "Gyeong-In Yu, Joo Seong Jeong, Geon-Woo Kim",
        Topic = "serving",
        NewTopicName = "Serving systems",
        Keywords = "Orca, iteration-level scheduling",
        Affiliation = "Seoul National University, FriendliAI",
        Date = "2022.07",
        Venue = "OSDI 2022",
        Citations = "512",
        Intro = "# Orca\n\nSchedules a batch one iteration at a time.",
        Name = "A Reader",
        Email = "reader@example.org",
    };

    private static IEnumerable<PropertyInfo> FormFields() =>
        typeof(SubmissionForm).GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite);

    [Fact]
    public void TheFullForm_FillsEveryFieldOfTheForm() =>
        Assert.All(FormFields(), p => Assert.False(string.IsNullOrEmpty((string?)p.GetValue(FullForm())), $"FullForm gives no {p.Name}"));

    private async Task<(SubmissionStore Submissions, CatalogEditor Editor)> StoreAsync()
    {
        var list = _temp.Write("README.md", "# List\n\n## Serving\n\n" + Lists.Header + Lists.Gqa + "\n");
        var markdown = new MarkdownRenderer();
        var (plan, _) = await new CatalogImporter(_db, markdown, TimeProvider.System).ImportAsync(list, null, Ct);
        Assert.False(plan.HasErrors);
        var editor = new CatalogEditor(_db, new PaperStore(_db, new SearchIndex(markdown)), markdown, new AuditLog(_db, TimeProvider.System), TimeProvider.System);
        return (new SubmissionStore(_db, markdown, TimeProvider.System), editor);
    }

    private static void AssertSameFields(SubmissionForm expected, SubmissionForm actual, params string[] except) =>
        Assert.All(FormFields().Where(p => !except.Contains(p.Name)), p => Assert.True((string?)p.GetValue(expected) == (string?)p.GetValue(actual),
            $"{p.Name}: '{p.GetValue(expected)}' came back as '{p.GetValue(actual)}'"));

    [Fact]
    public async Task EveryFormField_IsStoredWithTheSubmission_AndComesBackInItsForm()
    {
        var (submissions, _) = await StoreAsync();
        var form = FullForm();
        form.Topic = SubmissionForm.NewTopic;
        var token = (await submissions.SubmitAsync(form, "key-1", Ct)).Token;
        AssertSameFields(form, (await submissions.ByTokenAsync(token, Ct))!.ToForm());
    }

    [Fact]
    public async Task EveryFormField_ReachesTheApprovedPaper_AndItsEditForm()
    {
        var (submissions, editor) = await StoreAsync();
        var token = (await submissions.SubmitAsync(FullForm(), "key-1", Ct)).Token;
        var submission = (await submissions.ByTokenAsync(token, Ct))!;
        var approved = await editor.ApproveAsync(submission.Id, submission.ToForm(), "mod", Ct);
        Assert.True(approved.Done, approved.Problem);
        // A paper has no submitter, and its topic is chosen (no new one suggested).
        AssertSameFields(FullForm(), (await editor.GetAsync(approved.PaperSlug!, Ct))!.Form, nameof(SubmissionForm.NewTopicName), nameof(SubmissionForm.Name), nameof(SubmissionForm.Email));
    }

    [Fact]
    public async Task EveryFormField_OfAModeratorsEdit_IsSavedOnTheListPaper()
    {
        var (_, editor) = await StoreAsync();
        var form = FullForm();
        var edited = await editor.EditAsync("gqa", form, "mod", Ct);
        Assert.True(edited.Done, edited.Problem);
        AssertSameFields(form, (await editor.GetAsync("gqa", Ct))!.Form, nameof(SubmissionForm.NewTopicName), nameof(SubmissionForm.Name), nameof(SubmissionForm.Email));
    }
}
