using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PaperCatalog.Web.Hosting;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;
using PaperCatalog.Topics;
using PaperCatalog.Web.Pages.Shared;

namespace PaperCatalog.Web.Pages.Admin.Papers;

/// <summary>Edit any paper (list or site origin); every change goes to the audit log. Deleting has its own page (Delete).</summary>
public sealed class EditModel(CatalogEditor editor, TopicQueries topics, TimeProvider clock) : PageModel, IKeepsFormOnLostToken
{
    [BindProperty] public SubmissionForm Input { get; set; } = new();
    public PaperEdit? Paper { get; private set; }
    /// <summary>The intro beside the form: as published, or (after a preview) as the edited text would be stored.</summary>
    public string? IntroHtml { get; private set; }

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct)
    {
        Paper = await editor.GetAsync(slug, ct);
        if (Paper is null) return NotFound();
        Input = Paper.Form;
        IntroHtml = Paper.IntroHtml;
        ViewData["Topics"] = await topics.ListAsync(ct);
        return Page();
    }

    /// <summary>The edited intro rendered as saving would store it (live preview posts here as the moderator types).</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string slug, CancellationToken ct)
    {
        Paper = await editor.GetAsync(slug, ct);
        if (Paper is null) return NotFound();
        ViewData["Topics"] = await topics.ListAsync(ct);
        ModelState.Clear();
        IntroHtml = ModelState.AddIntroErrors(Input, editor)?.Html;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string slug, CancellationToken ct)
    {
        Paper = await editor.GetAsync(slug, ct);
        if (Paper is null) return NotFound();
        var topicList = await topics.ListAsync(ct);
        ViewData["Topics"] = topicList;
        IntroHtml = ModelState.AddPaperFormErrors(Input, topicList, clock, editor)?.Html;
        if (ModelState.ErrorCount > 0) return Page();
        var result = await editor.EditAsync(slug, Input, User.Identity!.Name!, ct);
        if (result.Done) return Redirect(PaperUrls.Paper(slug));
        ModelState.AddModelError("", result.Problem!);
        return Page();
    }

    /// <summary>The moderator's edits come back as posted.</summary>
    public async Task<IActionResult> ShowFormAgainAsync(CancellationToken ct)
    {
        Paper = await editor.GetAsync(RouteData.Values["slug"]?.ToString() ?? "", ct);
        if (Paper is null) return NotFound();
        IntroHtml = editor.RenderIntroChecked(Input.Intro, Input.Title)?.Html;
        ViewData["Topics"] = await topics.ListAsync(ct);
        return Page();
    }
}
