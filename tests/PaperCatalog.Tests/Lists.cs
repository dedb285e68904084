namespace PaperCatalog.Tests;

/// <summary>Small lists in the curator's format, for tests.</summary>
public static class Lists
{
    public const string Header = "|Keywords | Title | Paper | Affiliation | Date | Citation|\n|---|---|---|---|---|---|\n";

    /// <summary>A list with one topic and the given table rows.</summary>
    public static string OneTopic(params string[] rows) =>
        "# Test list\n\n## Attention\n\nLast update of citation was on 28th July, 2024.\n\n" + Header + string.Join("\n", rows) + "\n";

    public const string Mqa = "| MQA | **Fast Transformer Decoding: One Write-Head is All You Need** | [[pdf](https://arxiv.org/abs/1911.02150)] | Google | 2019.11 | 252 |";
    public const string Gqa = "| GQA | **GQA: Training Generalized Multi-Query Transformer Models from Multi-Head Checkpoints** [EMNLP 2023] | [[pdf](https://arxiv.org/abs/2305.13245)] | Google Research | 2023.05 | 335 |";
    public const string Alibi = "| ALiBi | **Train Short, Test Long: Attention with Linear Biases Enables Input Length Extrapolation** [ICLR 2022] | [[pdf](https://arxiv.org/abs/2108.12409)] | UW, Facebook, Allen Institute | 2021.08 | 523 |";
}
