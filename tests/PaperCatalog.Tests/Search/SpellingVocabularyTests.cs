using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

public sealed class SpellingVocabularyTests
{
    /// <summary>
    /// Nearest passes over most words without computing their distance (a character signature rules them out); it must
    /// never pass over one within the edit limit. Checked against every word's distance over a generated vocabulary.
    /// </summary>
    [Fact]
    public void Nearest_FindsEveryWordWithinTheLimit_AsComputingEveryDistanceWould()
    {
        var random = new Random(5);
        string Word(int length) => new(Enumerable.Range(0, length).Select(_ => "abcdefghij0123"[random.Next(14)]).ToArray());
        var words = Enumerable.Range(0, 3_000).Select(_ => Word(random.Next(4, 11))).Where(w => w.Any(char.IsLetter)).Distinct().ToList();
        var vocabulary = new SpellingVocabulary([], [string.Join(' ', words)]);

        foreach (var known in words.Take(200))
        {
            // A typo of a known word: one letter dropped, doubled, swapped or replaced, sometimes two of them.
            var typo = known;
            for (var edits = random.Next(1, 3); edits > 0; edits--)
            {
                var at = random.Next(1, typo.Length - 1);
                typo = random.Next(4) switch
                {
                    0 => typo.Remove(at, 1),
                    1 => typo.Insert(at, typo[at].ToString()),
                    2 => typo[..at] + typo[at + 1] + typo[at] + typo[(at + 2)..],
                    _ => typo[..at] + "xyz"[random.Next(3)] + typo[(at + 1)..],
                };
            }
            var limit = typo.Length switch { < 4 => 0, < 6 => 1, < 9 => 2, _ => 3 };
            var expected = words.Where(w => SpellingVocabulary.Distance(typo, w, limit) is var d && d > 0 && d <= limit).Order(StringComparer.Ordinal);
            Assert.Equal(expected, vocabulary.Nearest(typo, int.MaxValue).Order(StringComparer.Ordinal));
        }
    }
}
