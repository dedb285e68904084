using PaperCatalog.Submissions;

namespace PaperCatalog.Web.Pages.Admin.Submissions;

/// <summary>A correction as moderators review it: the paper as published (null when it was deleted) and what the reader proposes.</summary>
public sealed record ProposedEdit(string? Slug, SubmissionForm? Current, SubmissionForm Proposed)
{
    /// <summary>Values longer than this (an intro) are folded away behind their first words.</summary>
    public const int Long = 200;

    /// <summary>Every field the correction changes, as (label, published value, proposed value), in the form's order.</summary>
    public IReadOnlyList<(string Label, string? Now, string? Proposed)> Changes =>
        Current is null ? [] : Current.PaperValues().Zip(Proposed.PaperValues(), (now, proposed) => (now.Label, now.Value, proposed.Value))
            .Where(c => (c.Item2 ?? "") != (c.Item3 ?? ""))
            .ToList();

    /// <summary>How many fields the correction leaves as they are.</summary>
    public int Unchanged => Current is null ? 0 : Current.PaperValues().Count() - Changes.Count;
}
