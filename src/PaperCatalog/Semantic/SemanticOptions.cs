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

    /// <summary>
    /// Load the model (about 320 MiB of RSS, seconds of CPU) once the site has served no request for <see cref="IdleFor"/>, so that it never
    /// competes with the first pages after a start. Off: only the first search loads it (keyword results until then).
    /// </summary>
    public bool LoadWhenIdle { get; set; } = true;

    /// <summary>How long without a request counts as idle for <see cref="LoadWhenIdle"/>.</summary>
    public TimeSpan IdleFor { get; set; } = TimeSpan.FromSeconds(5);
}
