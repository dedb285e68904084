using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;
using PaperCatalog.Topics;
using PaperCatalog.Web.Pages.Shared;

namespace PaperCatalog.Web.Pages.Admin.Submissions;

/// <summary>
/// One submission: edit any field, then approve; or reject with a note the submitter sees. A correction of a published
/// paper shows what it changes, and approving it updates that paper.
/// </summary>
public sealed class ReviewModel(SubmissionStore store, CatalogEditor editor, TopicQueries topics, TimeProvider clock) : PageModel, IKeepsFormOnLostToken
{
    [BindProperty] public SubmissionForm Input { get; set; } = new();
    [BindProperty] public string? Note { get; set; }

    public Submission? Submission { get; private set; }
    public IReadOnlyList<DuplicateCandidate> Duplicates { get; private set; } = [];
    public string? IntroHtml { get; private set; }
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
            if (result.Done) return Redirect(PaperUrls.Paper(result.PaperSlug!));
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
        if (result.Done) return Redirect("/admin");
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

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Submission = await store.ByIdAsync(id, ct);
        if (Submission is null) return false;
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
