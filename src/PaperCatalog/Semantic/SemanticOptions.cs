namespace PaperCatalog.Semantic;

/// <summary>Semantic search and related papers (configuration section <c>Semantic</c>).</summary>
public sealed class SemanticOptions
{
    /// <summary>Off: no model is loaded, search ranks exactly as keyword search, paper pages show no related papers.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The embedding model: <c>MiniLM</c> (the site's, chosen by the evaluation) or <c>ArcticXs</c> (its package must be referenced).</summary>
    public string Model { get; set; } = "MiniLM";

    /// <summary>Another copy of the model's ONNX file to load instead of the package's own (optional).</summary>
    public string? ModelFile { get; set; }
}
