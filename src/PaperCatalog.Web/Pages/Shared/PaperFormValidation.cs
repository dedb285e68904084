using Microsoft.AspNetCore.Mvc.ModelBinding;
using PaperCatalog.Figures;
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

    /// <summary>
    /// Checks an uploaded figure and its description (bound as <c>Figure</c> and <c>FigureDescription</c>) and puts each
    /// problem beside its field. The file's size is read from the request before its bytes, so an over-size upload is
    /// refused unread. Returns the checked figure, or null when there is none or it was refused.
    /// </summary>
    public static async Task<SubmittedFigure?> AddFigureErrorsAsync(this ModelStateDictionary state, IFormFile? file, string? description, CancellationToken ct)
    {
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        // An empty part is no figure (a browser sends one for a file input left empty).
        if (file is null || file.Length == 0)
        {
            // The description came back with a refused form, but a browser never keeps a chosen file: ask for it again.
            if (description is not null) state.AddModelError("Figure", "Choose the figure file (again, if the form came back), or clear its description.");
            return null;
        }
        if (description is null) state.AddModelError("FigureDescription", "Describe what the figure shows, for readers who cannot see it.");
        else if (description.Length > FigureImages.MaxDescription) state.AddModelError("FigureDescription", $"The description is {description.Length:N0} characters long; at most {FigureImages.MaxDescription:N0} fit.");
        FigureCheck check;
        if (FigureImages.SizeProblem(file.Length) is { } tooLarge) check = FigureCheck.Refused(tooLarge);
        else
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            check = FigureImages.Check(buffer.ToArray());
        }
        if (check.Problem is { } problem) state.AddModelError("Figure", problem);
        return check.Figure is { } figure && description is { Length: <= FigureImages.MaxDescription } ? new SubmittedFigure(figure, description) : null;
    }
}
