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
    /// refused unread. Without a file, <paramref name="kept"/> is the figure an earlier answer of the form kept (base64 of
    /// its checked bytes, see <see cref="KeptFigure"/>): posted back by the client, so checked again like a file.
    /// Returns the checked figure, or null when there is none or it was refused.
    /// </summary>
    public static async Task<SubmittedFigure?> AddFigureErrorsAsync(this ModelStateDictionary state, IFormFile? file, IReadOnlyList<string>? kept, string? description, CancellationToken ct)
    {
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        FigureCheck check;
        // An empty part is no figure (a browser sends one for a file input left empty).
        if (file is null || file.Length == 0)
        {
            if (KeptFigure.Decode(kept) is not { } keptBytes)
            {
                if (description is not null) state.AddModelError("Figure", "Choose the figure file, or clear its description.");
                return null;
            }
            check = FigureImages.Check(keptBytes);
        }
        else if (FigureImages.SizeProblem(file.Length) is { } tooLarge) check = FigureCheck.Refused(tooLarge);
        else
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, ct);
            check = FigureImages.Check(buffer.ToArray());
        }
        if (description is null) state.AddModelError("FigureDescription", "Describe what the figure shows, for readers who cannot see it.");
        else if (description.Length > FigureImages.MaxDescription) state.AddModelError("FigureDescription", $"The description is {description.Length:N0} characters long; at most {FigureImages.MaxDescription:N0} fit.");
        if (check.Problem is { } problem) state.AddModelError("Figure", problem);
        return check.Figure is { } figure && description is { Length: <= FigureImages.MaxDescription } ? new SubmittedFigure(figure, description) : null;
    }
}

/// <summary>
/// A checked figure carried in the form while it comes back for another field (a browser never keeps a chosen file):
/// its checked bytes as base64 in hidden fields, so nothing is kept on the server and any node can take the post. The
/// base64 is cut into pieces of <see cref="PieceLength"/>, each under the forms' value length limit (256 KB), so that
/// limit still holds for every other field; a 2 MB figure is 22 pieces, inside the forms' 64 values.
/// </summary>
public static class KeptFigure
{
    public const int PieceLength = 128 * 1024;
    private const int MaxLength = (int)((FigureImages.MaxBytes + 2) / 3 * 4);

    /// <summary>The hidden fields' values for <paramref name="figure"/>, in order.</summary>
    public static IReadOnlyList<string> Encode(Figure figure) => Convert.ToBase64String(figure.Bytes).Chunk(PieceLength).Select(c => new string(c)).ToList();

    /// <summary>The bytes the hidden fields carry, or null when there are none, too many or they are not base64.</summary>
    public static byte[]? Decode(IReadOnlyList<string>? pieces)
    {
        var length = pieces?.Sum(p => (long)(p?.Length ?? 0)) ?? 0;
        if (length == 0 || length > MaxLength) return null;
        var text = string.Concat(pieces!);
        var bytes = new byte[text.Length / 4 * 3];
        return Convert.TryFromBase64String(text, bytes, out var written) ? bytes[..written] : null;
    }

    /// <summary>"PNG, 800 × 600 pixels": what the form says it keeps.</summary>
    public static string Describe(Figure figure) =>
        $"{figure.Extension.ToUpperInvariant()}, {figure.Width:N0} × {figure.Height:N0} pixels";
}
