namespace PaperCatalog.Importing;

/// <summary>What an import did, for the summary line a curator reads.</summary>
public sealed record ImportResult
{
    public int Topics { get; init; }
    public int Added { get; init; }
    public int Updated { get; init; }
    public int Removed { get; init; }
    public int Unchanged { get; init; }
    public int Intros { get; init; }
    public int Images { get; init; }
    /// <summary>Intros rendered to HTML by this import: those of new and changed papers only.</summary>
    public int Rendered { get; init; }
    public int Warnings { get; init; }
    /// <summary>Moderators' edits of list papers that the list's changed rows replaced, one line each (file:line).</summary>
    public IReadOnlyList<Diagnostic> ReplacedEdits { get; init; } = [];
    /// <summary>Where the writing time went, step by step (the import benchmark prints it).</summary>
    public IReadOnlyList<(string Name, TimeSpan Time)> Phases { get; init; } = [];

    public override string ToString() =>
        $"{Topics} topics; papers: {Added} added, {Updated} updated, {Removed} removed, {Unchanged} unchanged; {Intros} intros; {Images} images; {Warnings} warnings; {Rendered} intros rendered"
        + (ReplacedEdits.Count == 0 ? "" : $"; {ReplacedEdits.Count} site edits replaced by the list");
}
