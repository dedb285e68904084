using AngleSharp.Html.Parser;
using Dapper;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Data.Sqlite;
using PaperCatalog.Search;

namespace PaperCatalog.Tests.Search;

/// <summary>
/// Titles marked and snippets cut in C# (<see cref="SearchMarks"/>) are what FTS5's highlight() and snippet() give on
/// the same text, checked against a real FTS5 table with the index's tokenizer, in every script the catalog holds.
/// </summary>
public sealed class SearchMarksTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly SqliteConnection _fts;

    public SearchMarksTests()
    {
        _fts = new SqliteConnection($"Data Source={_temp.File("marks.db")};Pooling=False");
        _fts.Open();
        _fts.Execute("""
            CREATE VIRTUAL TABLE t USING fts5(title, intro, tokenize = 'porter unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE t_terms USING fts5vocab(t, instance);
            """);
    }

    public void Dispose()
    {
        _fts.Dispose();
        _temp.Dispose();
    }

    private const string LongLatin = """
        Serving large models is mostly a memory problem. The KV-cache grows with every token: paged attention keeps it in
        blocks. Schedulers batch requests continuously; quantization shrinks the weights to 4 bits. École Polytechnique's
        naïve baseline keeps the whole cache: it runs out of memory after 2,048 tokens. Speculative decoding drafts tokens
        with a small model and verifies them with the large one, which cuts latency when the draft model agrees often.
        """;

    public static TheoryData<string, string> Cases() => new()
    {
        { LongLatin, "memory" },
        { LongLatin, "cache memory" },
        { LongLatin, "batching quantization" }, // stems: batch, quantiz
        { LongLatin, "ecole naive" }, // accents folded
        { LongLatin, "\"draft model\"" }, // a phrase
        { LongLatin, "spec" }, // the last word is a prefix
        { LongLatin, "kv-cache" },
        { LongLatin, "tokens latency decoding" },
        { "SmoothQuant and FlashAttention-2 make LLM.int8() faster", "flashattention-2" }, // CamelCase, as the index splits it
        { "SmoothQuant and FlashAttention-2 make LLM.int8() faster", "quant" },
        { "SmoothQuant and FlashAttention-2 make LLM.int8() faster", "llm.int8" },
        { "本文介绍大语言模型推理加速的量化方法。日本語では推論の高速化と呼ばれます。", "推理" }, // Chinese
        { "本文介绍大语言模型推理加速的量化方法。日本語では推論の高速化と呼ばれます。", "推論の高速化" }, // Japanese
        { "Квантование весов ускоряет вывод больших моделей. Кэш ключей растёт с каждым токеном.", "кэш" }, // Cyrillic
        { "Η κβαντοποίηση των βαρών επιταχύνει την εξαγωγή συμπερασμάτων.", "βαρών" }, // Greek
        { "تسريع الاستدلال في النماذج اللغوية الكبيرة عبر التكميم", "النماذج" }, // Arabic
        { "बड़े भाषा मॉडल का अनुमान तेज़ करने के लिए क्वांटाइज़ेशन", "मॉडल" }, // Devanagari, with combining vowel signs
        { "ภาษาไทยไม่มีช่องว่างระหว่างคำ", "ไทย" }, // Thai (split per character like Chinese)
        { "Emoji 🚀 speed-ups and 𠀋 rare ideographs: 🚀 attention 🔥", "attention" },
        { "<script>alert(\"x\")</script> & <mark>attention</mark> 'quoted' \"attention\"", "attention" }, // hostile text
        { "a.b:c. d: e.  f:\tg \n h attention. " + string.Concat(Enumerable.Repeat("filler words here. ", 12)) + "attention again", "attention" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Marks_AreFts5sHighlightAndSnippet(string text, string q) => AssertSameAsFts5(text, q);

    /// <summary>Texts of words from every script, punctuation and sentence ends, searched for words they hold.</summary>
    [Fact]
    public void Marks_AreFts5sHighlightAndSnippet_ForGeneratedTexts()
    {
        string[] words =
        [
            "attention", "Attention", "attentive", "caches", "cache", "cached", "batching", "batch", "relational", "generalization",
            "École", "ecole", "naïve", "Smooth\u200BQuant", "KV", "kv", "4", "2,048", "LLM.int8", "推", "理", "模", "型", "の",
            "Кэш", "кэша", "βαρών", "النماذج", "मॉडल", "🚀", "x", "running", "runs", "happy", "sky", "agreed",
        ];
        string[] glue = [" ", " ", " ", ", ", ". ", ": ", "\n\n", "-", "\u200B", " (", ") "];
        var cases =
            from length in Gen.Choose(1, 80)
            from picks in Gen.ArrayOf(Gen.Choose(0, words.Length - 1), length)
            from joins in Gen.ArrayOf(Gen.Choose(0, glue.Length - 1), length)
            from asked in Gen.ArrayOf(Gen.Choose(0, length - 1), 3)
            from count in Gen.Choose(1, 3)
            select (string.Concat(picks.Select((p, i) => words[p] + glue[joins[i]])), string.Join(' ', asked.Take(count).Select(i => words[picks[i]].Replace("\u200B", "", StringComparison.Ordinal))));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), Prop.ForAll(Arb.From(cases), c => AssertSameAsFts5(c.Item1, c.Item2)));
    }

    private void AssertSameAsFts5(string text, string q)
    {
        // Read back as the site reads search_documents (what SQLite stores: a lone surrogate becomes U+FFFD).
        var indexed = _fts.ExecuteScalar<string>("SELECT @text;", new { text = SearchText.ForIndex(text) })!;
        // A query of nothing searchable (an emoji alone) is never run.
        if (SearchQuery.Parse(q).Match is not { } match) return;
        _fts.Execute("DELETE FROM t; INSERT INTO t (title, intro) VALUES (@indexed, @indexed);", new { indexed });
        var expected = _fts.QuerySingleOrDefault<(string Title, string Snippet)?>(
            "SELECT highlight(t, 0, char(2), char(3)), snippet(t, 1, char(2), char(3), '…', 24) FROM t WHERE t MATCH @match;", new { match });
        var marks = SearchMarks.For(match);
        // A query whose words the text lacks (a prefix of a stem, say) is no hit, and then there is nothing to compare.
        if (expected is null) return;
        Assert.Equal(expected.Value.Title, marks.Highlight(indexed));
        Assert.Equal(expected.Value.Snippet, marks.Snippet(indexed));
    }

    [Fact]
    public void Stems_AreFts5Porters()
    {
        var words = (LongLatin + " " + string.Join(' ', StemmedWords)).Split([' ', '\n', ',', '.', ':', ';', '(', ')', '\''], StringSplitOptions.RemoveEmptyEntries);
        _fts.Execute("DELETE FROM t; INSERT INTO t (title, intro) VALUES (@text, '');", new { text = string.Join(' ', words) });
        var fts5 = _fts.Query<string>("SELECT term FROM t_terms WHERE col = 'title' ORDER BY offset;").ToList();
        var mine = SearchMarks.Tokenize(string.Join(' ', words), null).Select(t => t.Term!).ToList();
        Assert.Equal(fts5, mine);
    }

    private static readonly string[] StemmedWords =
    [
        "caresses", "ponies", "ties", "caress", "cats", "feed", "agreed", "plastered", "bled", "motoring", "sing", "conflated",
        "troubled", "sized", "hopping", "tanned", "falling", "hissing", "fizzed", "failing", "filing", "happy", "sky",
        "relational", "conditional", "rational", "valenci", "hesitanci", "digitizer", "conformabli", "radicalli", "differentli",
        "vileli", "analogousli", "vietnamization", "predication", "operator", "feudalism", "decisiveness", "hopefulness",
        "callousness", "formaliti", "sensitiviti", "sensibiliti", "triplicate", "formative", "formalize", "electriciti",
        "electrical", "hopeful", "goodness", "revival", "allowance", "inference", "airliner", "gyroscopic", "adjustable",
        "defensible", "irritant", "replacement", "adjustment", "dependent", "adoption", "homologou", "communism", "activate",
        "angulariti", "homologous", "effective", "bowdlerize", "probate", "rate", "cease", "controll", "roll", "generalizations",
        "oscillators", "quantization", "speculative", "throughput", "bandwidth", "yy", "ayy", "eed", "ied", "ying", "bying",
        "logically", "archaeology", "bliss", "sensibly", "abilities", "x", "xy", "ab", "ies", "sses", "ss", "ing", "ed", "eing", "at", "bl",
    ];

    public static TheoryData<string> HostileIntros() => new()
    {
        "<script>alert(1)</script> attention <img src=x onerror=alert(1)>",
        "attention </mark><b>bold</b> & &amp; &lt; \"quotes\" 'apostrophes'",
        "\u0002attention\u0003 marks already in the text \u0002 unbalanced",
        "attention \uD800 lone surrogates \uDC00 and \uFFFD",
        new string('a', 5_000) + " attention " + new string('b', 5_000),
        string.Concat(Enumerable.Repeat("attention ", 5_000)),
        "\u202Eattention reversed\u202C \0 nulls \u001b[31m escapes",
    };

    /// <summary>Whatever an intro holds, its snippet is text with only &lt;mark&gt; elements, and the word found is marked.</summary>
    [Theory]
    [MemberData(nameof(HostileIntros))]
    public void SnippetOfAHostileIntro_IsEscapedText_WithOnlyMarks(string intro)
    {
        var marks = SearchMarks.For(SearchQuery.Parse("attention").Match!);
        foreach (var html in (string[])[SearchText.ToMarkedHtml(marks.Snippet(SearchText.ForIndex(intro))), SearchText.ToMarkedHtml(marks.Highlight(SearchText.ForIndex(intro)))])
        {
            var body = new HtmlParser().ParseDocument("<body>" + html + "</body>").Body!;
            Assert.All(body.QuerySelectorAll("*"), e => Assert.Equal("MARK", e.TagName));
            Assert.Contains(body.QuerySelectorAll("mark"), m => m.TextContent == "attention");
        }
    }
}
