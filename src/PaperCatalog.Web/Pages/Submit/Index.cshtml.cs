using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;
using PaperCatalog.Topics;
using PaperCatalog.Web.Pages.Shared;

namespace PaperCatalog.Web.Pages.Submit;

// A figure of up to four times the figure limit still gets the form back saying it is too large; a larger body is
// refused by the server before it is read (the site's other forms stay under the host's 1 MB).
[RequestSizeLimit(SubmissionOptions.MaxFigureRequestBytes)]
public sealed class IndexModel(SubmissionStore store, CatalogEditor editor, TopicQueries topics, TimeProvider clock) : PageModel, IKeepsFormOnLostToken
{
    [BindProperty] public SubmissionForm Input { get; set; } = new();
    /// <summary>One per form shown: posting the same form twice stores one submission.</summary>
    [BindProperty] public string? SubmissionKey { get; set; }
    /// <summary>A field people do not see and bots fill in.</summary>
    [BindProperty] public string? Website { get; set; }
    /// <summary>The slug of the paper this form suggests a correction of (<c>/submit?correct=slug</c>), or null for a new paper.</summary>
    [BindProperty(SupportsGet = true)] public string? Correct { get; set; }
    /// <summary>The submitter checked a similar title and says this paper is a different one.</summary>
    [BindProperty] public bool ConfirmSimilar { get; set; }
    /// <summary>An optional figure (checked by its bytes, see <see cref="Figures.FigureImages"/>) and what it shows.</summary>
    [BindProperty] public IFormFile? Figure { get; set; }
    [BindProperty] public string? FigureDescription { get; set; }
    /// <summary>The checked figure of an earlier answer of this form (<see cref="Shared.KeptFigure"/>), posted back in a hidden field.</summary>
    [BindProperty] public string[]? KeptFigure { get; set; }
    /// <summary>What the form says it keeps ("PNG, 800 × 600 pixels"), or null when it keeps no figure.</summary>
    public string? KeptFigureSummary { get; private set; }

    public IReadOnlyList<DuplicateCandidate> Similar { get; private set; } = [];
    /// <summary>The published paper this submission is, when it is one (linked beside the form).</summary>
    public DuplicateCandidate? Existing { get; private set; }
    /// <summary>The paper a correction is for, as stored (the form starts from it).</summary>
    public PaperEdit? Correcting { get; private set; }
    public string? PreviewHtml { get; private set; }
    public bool Previewing { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        SubmissionKey = Guid.NewGuid().ToString("N");
        await LoadAsync(ct);
        if (Correct is null) return Page();
        if (Correcting is null) return NotFound();
        // A correction starts from the paper as it is published: the reader changes what is wrong.
        Input = Correcting.Form;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var topicList = await LoadAsync(ct);
        if (string.IsNullOrEmpty(SubmissionKey) || SubmissionKey.Length > 64) SubmissionKey = Guid.NewGuid().ToString("N");
        if (!string.IsNullOrEmpty(Website))
        {
            ModelState.AddModelError("", "This submission looks automated, so it was not sent. If you are a person, leave the hidden \"website\" field empty.");
            return Page();
        }
        // The same form sent again (a double click, a retry after a timeout) leads to the submission it already made.
        if (await store.TokenForKeyAsync(SubmissionKey, ct) is { } existing) return Redirect(StatusUrl(existing));
        var intro = ModelState.AddPaperFormErrors(Input, topicList, clock, editor);
        var figure = await ModelState.AddFigureErrorsAsync(Figure, KeptFigure, FigureDescription, ct);
        if (Correct is not null && Correcting is null)
            ModelState.AddModelError("", "The paper this correction was for is no longer in the catalog, so there is nothing to correct.");
        else if (Correcting is not null && Figure is null && KeptFigure is not { Length: > 0 } && Input.PaperValues().SequenceEqual(Correcting.Form.PaperValues()))
            ModelState.AddModelError("", "Nothing was changed yet: correct the fields that are wrong, then send it.");
        if (ModelState.ErrorCount == 0)
        {
            // The queue is private, but two readers proposing one paper is double work for a moderator: an exact match
            // in the queue (arXiv id, DOI, folded title) is refused, saying no more than that it waits (no title, no
            // link, no status). Asking costs a whole valid form under the posting limit, and a miss files a submission
            // a moderator sees. A merely similar pending title is not mentioned at all.
            // A correction is never a duplicate of the paper it corrects (nor is another paper's similar title a
            // reason to stop it: it adds no paper).
            var duplicates = await store.DuplicatesAsync(new DuplicateProbe(Input.Title, Input.Link, ExceptPaper: Correcting?.Id), DuplicateScope.CatalogAndQueue, ct);
            if (duplicates.FirstOrDefault(d => d.IsExact) is { } exact)
            {
                var field = exact.Kind is DuplicateKind.SameArxivId or DuplicateKind.SameDoi ? "Input.Link" : "Input.Title";
                if (exact.PaperSlug is not null) Existing = exact;
                ModelState.AddModelError(field, exact.PaperSlug is not null
                    ? $"This paper is already in the catalog ({exact.Reason}): {exact.Title}. Its page is linked below."
                    : $"This paper ({exact.Reason}) was already submitted and is waiting for a moderator.");
            }
            Similar = Correcting is not null ? [] : duplicates.Where(d => !d.IsExact && d.PaperSlug is not null).ToList();
            if (ModelState.ErrorCount == 0 && Similar.Count > 0 && !ConfirmSimilar)
                ModelState.AddModelError(nameof(ConfirmSimilar), "A paper with a very similar title exists. Check it, then tick the box if yours is a different paper.");
        }
        if (ModelState.ErrorCount > 0)
        {
            PreviewHtml = intro?.Html;
            Keep(figure);
            return Page();
        }
        // The form asks for no e-mail (the site sends none); one in a hand-made post is not kept either.
        Input.Email = null;
        var result = Correcting is null
            ? await store.SubmitAsync(Input, SubmissionKey, figure, ct)
            : await store.SuggestCorrectionAsync(Input, SubmissionKey, Correcting.Id, figure, ct);
        return Redirect(StatusUrl(result.Token));
    }

    /// <summary>The intro rendered exactly as a paper page would show it; everything typed stays in the form.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        ModelState.Clear();
        Previewing = true;
        // Over the budget, the preview shows the notice and the intro field says why.
        PreviewHtml = ModelState.AddIntroErrors(Input, editor)?.Html;
        await KeepPostedFigureAsync(ct);
        return Page();
    }

    // The form comes back: a figure that passed its check goes with it (a browser never keeps a chosen file), one
    // that did not is dropped (its field says why).
    // A form shown again without its own errors for the figure (a preview, a lost token) still keeps a figure that passes.
    private async Task KeepPostedFigureAsync(CancellationToken ct) =>
        Keep(await new ModelStateDictionary().AddFigureErrorsAsync(Figure, KeptFigure, FigureDescription, ct));

    private void Keep(Figures.SubmittedFigure? figure)
    {
        ModelState.Remove(nameof(KeptFigure));
        KeptFigure = figure is null ? null : [.. Shared.KeptFigure.Encode(figure.Figure)];
        KeptFigureSummary = figure is null ? null : Shared.KeptFigure.Describe(figure.Figure);
    }

    /// <summary>Everything typed comes back, the intro previewed, the same submission key (so a double send still makes one).</summary>
    public async Task<IActionResult> ShowFormAgainAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (string.IsNullOrEmpty(SubmissionKey) || SubmissionKey.Length > 64) SubmissionKey = Guid.NewGuid().ToString("N");
        PreviewHtml = editor.RenderIntroChecked(Input.Intro, Input.Title)?.Html;
        await KeepPostedFigureAsync(ct);
        return Page();
    }

    private static string StatusUrl(string token) => PaperUrls.Submission(token) + "?received=1";

    private async Task<IReadOnlyList<TopicSummary>> LoadAsync(CancellationToken ct)
    {
        if (Correct is { Length: > 0 and <= 300 } slug) Correcting = await editor.GetAsync(slug, ct);
        var list = await topics.ListAsync(ct);
        ViewData["Topics"] = list;
        return list;
    }
}
