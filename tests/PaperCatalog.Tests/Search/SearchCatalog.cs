using PaperCatalog.Data;
using PaperCatalog.Importing;
using PaperCatalog.Markdown;
using PaperCatalog.Search;
using PaperCatalog.Topics;

namespace PaperCatalog.Tests.Search;

/// <summary>A crafted catalog in a real SQLite file, imported through the real importer, for search tests.</summary>
public sealed class SearchCatalog : IAsyncLifetime
{
    private readonly TempFolder _temp = new();

    public const string List = """
        # Search test list

        ## Attention

        Last update of citation was on 28th July, 2024.

        |Keywords | Title | Paper | Affiliation | Date | Citation|
        |---|---|---|---|---|---|
        | FlashAttention | **FlashAttention-2: Faster Attention with Better Parallelism** [ICLR 2024] | [[pdf](https://arxiv.org/abs/2307.08691)] | Stanford | 2023.07 | 500 |
        | GQA, KV cache | **GQA: Training Generalized Multi-Query Transformer Models** [EMNLP 2023] | [[pdf](https://arxiv.org/abs/2305.13245)] | Google Research | 2023.05 | 335 |
        | Batching | **Orca: A Distributed Serving System for Transformer Models** [OSDI 2022] | [[pdf](https://www.usenix.org/conference/osdi22/presentation/yu)] | Seoul National University | 2022.07 | 300 |
        | Distillation | **Zephyr: Direct Distillation of LM Alignment** | [[pdf](https://arxiv.org/abs/2310.16944)] | Hugging Face | 2023.10 | 40 |
        | Sparse | **Sparse Attention & "Routing" Tricks** | [[pdf](https://arxiv.org/abs/2001.00001)] | Zephyr Labs | 2020.01 | 10 |
        | Sliding window | **Windowed Decoding** | [[pdf](https://arxiv.org/abs/2001.00002)] [[intro](attention/windowed/README.md)] | École Polytechnique | 2021.03 | 5 |

        ## Quantization

        Last update of citation was on 28th July, 2024.

        |Keywords | Title | Paper | Affiliation | Date | Citation|
        |---|---|---|---|---|---|
        | SmoothQuant, W8A8 | **SmoothQuant: Accurate and Efficient Post-Training Quantization** [ICML 2023] | [[pdf](https://arxiv.org/abs/2211.10438)] | MIT | 2022.11 | 382 |
        | LLM.int8 | **LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale** [NeurIPS 2022] | [[pdf](https://arxiv.org/abs/2208.07339)] | University of Washington | 2022.08 | 600 |
        | BitNet b1.58 | **The Era of 1-bit LLMs: All Large Language Models are in 1.58 Bits** | [[pdf](https://arxiv.org/abs/2402.17764)] [[intro](quantization/bitnet/README.md)] | Microsoft Research | 2024.02 | 100 |
        | Continuous batching | **Batching Without Pauses** [ICML 2024] | [[pdf](https://arxiv.org/abs/2001.00003)] | Example University | 2024.05 | |
        """;

    public const string WindowedIntro = """
        # Windowed Decoding

        Each token attends to a window of recent tokens; the zephyr wind of the KV-cache keeps memory flat.
        """;

    public const string BitNetIntro = """
        # The Era of 1-bit LLMs

        Ternary weights {-1, 0, 1} make matrix multiplication an addition.

        本文介绍大语言模型推理加速的量化方法。日本語では推論の高速化と呼ばれます。

        古籍用字𠀋亦可检索。
        """;

    public CatalogDatabase Database { get; private set; } = null!;
    public CatalogImporter Importer { get; private set; } = null!;
    public CatalogCache Cache { get; private set; } = null!;
    public SearchQueries Search { get; private set; } = null!;
    public string ListPath { get; private set; } = "";
    public TempFolder Folder => _temp;

    public async Task InitializeAsync()
    {
        _temp.Write("attention/windowed/README.md", WindowedIntro);
        _temp.Write("quantization/bitnet/README.md", BitNetIntro);
        ListPath = _temp.Write("README.md", List);
        (Database, Cache, Importer, Search) = await ImportAsync(_temp, ListPath);
    }

    /// <summary>A store in <paramref name="temp"/> with the list at <paramref name="listPath"/> imported, and its search.</summary>
    internal static async Task<(CatalogDatabase, CatalogCache, CatalogImporter, SearchQueries)> ImportAsync(TempFolder temp, string listPath)
    {
        var database = new CatalogDatabase(temp.File("catalog.db"));
        var cache = new CatalogCache(TimeProvider.System);
        var importer = new CatalogImporter(database, new MarkdownRenderer(), TimeProvider.System, cache);
        var (plan, result) = await importer.ImportAsync(listPath, null, CancellationToken.None);
        Assert.False(plan.HasErrors, string.Join("\n", plan.Diagnostics));
        Assert.NotNull(result);
        return (database, cache, importer, new SearchQueries(database, cache, new TopicQueries(database, cache)));
    }

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    public Task<SearchResults> FindAsync(string q, bool exact = false) => Search.SearchAsync(new SearchRequest { Q = q, Exact = exact }, CancellationToken.None);

    public async Task<List<string>> TitlesAsync(string q) => (await FindAsync(q)).Hits.Select(h => h.Title).ToList();
}
