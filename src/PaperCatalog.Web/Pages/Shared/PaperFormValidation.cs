using Microsoft.AspNetCore.Mvc.ModelBinding;
using PaperCatalog.Markdown;
using PaperCatalog.Moderation;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>The paper form's rules, as the public form and the moderators' forms all apply them.</summary>
public static class PaperFormValidation
{
    /// <summary>
    /// Checks <paramref name="form"/> (bound as <c>Input</c>) against the catalog's topics and today's date, and its
    /// intro against the Markdown budget, and puts each message beside its field. Returns the rendered intro (or
    /// null without one), so the page can show it without rendering it again.
    /// </summary>
    public static RenderedMarkdown? AddPaperFormErrors(this ModelStateDictionary state, SubmissionForm form, IReadOnlyList<TopicSummary> topics,
        TimeProvider clock, CatalogEditor editor)
    {
        // A bare arXiv id or DOI is the paper's link too: stored (and shown again in the form) as its web address.
        if (Identifiers.PaperLink(form.Link) is { } link && link != form.Link?.Trim())
        {
            form.Link = link;
            state.SetModelValue("Input." + nameof(SubmissionForm.Link), link, link);
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        foreach (var (field, message) in form.Validate(topics.Select(t => t.Slug).ToList(), today))
            state.AddModelError("Input." + field, message);
        return state.AddIntroErrors(form, editor);
    }

    /// <summary>Renders the intro under the budget; when it cannot be rendered, says why beside the intro field.</summary>
    public static RenderedMarkdown? AddIntroErrors(this ModelStateDictionary state, SubmissionForm form, CatalogEditor editor)
    {
        var intro = editor.RenderIntroChecked(form.Intro, form.Title);
        if (intro?.Problem is { } problem) state.AddModelError("Input." + nameof(SubmissionForm.Intro), CatalogEditor.IntroProblem(problem));
        return intro;
    }
}
