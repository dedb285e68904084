using PaperCatalog.Moderation;

namespace PaperCatalog.Tests.Moderation;

public sealed class WordDiffTests
{
    private static string Show(IEnumerable<DiffPart> parts) =>
        string.Join(" ", parts.Select(p => p.Kind switch { DiffKind.Removed => "[-" + p.Text + "-]", DiffKind.Added => "{+" + p.Text + "+}", _ => p.Text }));

    [Theory]
    [InlineData("GQA: Training Generalized Models", "GQA: Teaching Generalized Models", "GQA: [-Training-] {+Teaching+} Generalized Models")]
    [InlineData("one two three", "one two three four five", "one two three {+four five+}")]
    [InlineData("one two three", "three", "[-one two-] three")]
    [InlineData("", "fresh text", "{+fresh text+}")]
    [InlineData("same", "same", "same")]
    public void WordDiff_KeepsTheCommonWords_AndMarksRunsRemovedOrAdded(string before, string after, string expected) =>
        Assert.Equal(expected, Show(WordDiff.Of(before, after)));

    [Fact]
    public void WordDiff_OfTwoLongestAuditValues_PutsTheWordsOfBothBackTogether()
    {
        var words = Enumerable.Range(0, 400).Select(i => "w" + i).ToArray();
        var before = string.Join(' ', words);
        var after = string.Join(' ', words.Where((_, i) => i % 7 != 0).Append("tail"));
        var parts = WordDiff.Of(before, after);
        Assert.Equal(before, string.Join(' ', parts.Where(p => p.Kind != DiffKind.Added).Select(p => p.Text)));
        Assert.Equal(after, string.Join(' ', parts.Where(p => p.Kind != DiffKind.Removed).Select(p => p.Text)));
        Assert.Equal(58, parts.Where(p => p.Kind == DiffKind.Removed).Sum(p => p.Text.Split(' ').Length));
    }

    [Theory]
    [InlineData("citations: 489 → 1,400", "citations", "489", "1,400")]
    [InlineData("title: A → B → C", "title", "A", "B → C")]
    public void AuditChange_ReadsAFieldLine(string line, string field, string old, string @new) =>
        Assert.Equal(new AuditChange(field, old, @new), AuditChange.Parse(line));

    [Theory]
    [InlineData("note: Spam, sorry.")]
    [InlineData("approved as submitted")]
    [InlineData("a very long field name that is certainly not one of ours: x → y")]
    public void AuditChange_LeavesOtherLinesAsText(string line) => Assert.Null(AuditChange.Parse(line));
}
