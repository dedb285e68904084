using Microsoft.AspNetCore.Mvc.ModelBinding;
using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Shared;

/// <summary>The paper form's rules, as the public form and the moderators' forms all apply them.</summary>
public static class PaperFormValidation
{
    /// <summary>
    /// Checks <paramref name="form"/> (bound as <c>Input</c>) against the catalog's topics and today's date and puts each
    /// message beside its field.
    /// </summary>
    public static void AddPaperFormErrors(this ModelStateDictionary state, SubmissionForm form, IReadOnlyList<TopicSummary> topics, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        foreach (var (field, message) in form.Validate(topics.Select(t => t.Slug).ToList(), today))
            state.AddModelError("Input." + field, message);
    }
}
