using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;
using PaperCatalog.Topics;
using PaperCatalog.Web.Pages.Shared;

namespace PaperCatalog.Web.Pages.Admin.Submissions;

/// <summary>
/// One submission: edit any field, then approve; or reject with a note the submitter sees. Either decision leads to the
/// next pending submission, which says what was just decided. A correction of a published paper shows what it
/// changes, and approving it updates that paper.
/// </summary>
public sealed class ReviewModel(SubmissionStore store, CatalogEditor editor, TopicQueries topics, TimeProvider clock) : PageModel, IKeepsFormOnLostToken
{
    [BindProperty] public SubmissionForm Input { get; set; } = new();
    [BindProperty] public string? Note { get; set; }

    public Submission? Submission { get; private set; }
    public IReadOnlyList<DuplicateCandidate> Duplicates { get; private set; } = [];
    public string? IntroHtml { get; private set; }
    /// <summary>The pending submissions before and after this one in the queue's order (the j and k keys' targets).</summary>
    public long? PreviousId { get; private set; }
    public long? NextId { get; private set; }
    /// <summary>For a correction: the paper as published beside the values proposed, field by field; null for a new paper.</summary>
    public ProposedEdit? ProposedEdit { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = Submission!.ToForm();
        IntroHtml = Submission.IntroHtml;
        return Page();
    }

    public async Task<IActionResult> OnPostApproveAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var topicList = (IReadOnlyList<TopicSummary>)ViewData["Topics"]!;
        var intro = ModelState.AddPaperFormErrors(Input, topicList, clock, editor);
        if (ModelState.ErrorCount == 0)
        {
            var result = await editor.ApproveAsync(id, Input, User.Identity!.Name!, ct);
            if (result.Done) return await NextAsync(id, ct);
            ModelState.AddModelError("", result.Problem!);
        }
        // The form comes back with the moderator's edits, so the intro beside it is theirs.
        IntroHtml = intro?.Html;
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var result = await editor.RejectAsync(id, Note, User.Identity!.Name!, ct);
        if (result.Done) return await NextAsync(id, ct);
        ModelState.AddModelError(nameof(Note), result.Problem!);
        Input = Submission!.ToForm();
        IntroHtml = Submission.IntroHtml;
        return Page();
    }

    /// <summary>The moderator's edits (or note) come back as posted, the intro beside them rendered from the edited text.</summary>
    public async Task<IActionResult> ShowFormAgainAsync(CancellationToken ct)
    {
        if (!long.TryParse(RouteData.Values["id"]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            || !await LoadAsync(id, ct)) return NotFound();
        if (string.IsNullOrEmpty(Input.Title)) Input = Submission!.ToForm(); // a rejection's form carries only the note
        IntroHtml = editor.RenderIntroChecked(Input.Intro, Input.Title)?.Html;
        return Page();
    }

    /// <summary>After a decision: the next pending submission, or the queue when none is left, with the decision's confirmation.</summary>
    private async Task<IActionResult> NextAsync(long decided, CancellationToken ct) =>
        Redirect(await store.NextPendingAsync(decided, ct) is { } next ? PaperUrls.Review(next, decided) : PaperUrls.WithQuery("/admin", ("decided", decided.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Submission = await store.ByIdAsync(id, ct);
        if (Submission is null) return false;
        if (Submission.Status == "pending")
        {
            PreviousId = await store.PreviousPendingAsync(id, ct);
            NextId = await store.NextPendingAsync(id, ct); // past the newest, the oldest again
        }
        ViewData["Topics"] = await topics.ListAsync(ct);
        Duplicates = await store.DuplicatesAsync(new DuplicateProbe(Submission.Title, Submission.Link, Submission.Id, Submission.CorrectsPaperId), DuplicateScope.CatalogAndQueue, ct);
        if (Submission.IsCorrection)
        {
            var paper = Submission.CorrectsSlug is { } slug ? await editor.GetAsync(slug, ct) : null;
            ProposedEdit = new ProposedEdit(paper?.Slug, paper?.Form, Submission.ToForm());
        }
        return true;
    }
}
