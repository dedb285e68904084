using System.Numerics.Tensors;
using PaperCatalog.Semantic;

namespace PaperCatalog.Web.Tests.Semantic;

/// <summary>
/// The model package's graph reaches ONNX Runtime through a private temporary file (not a 90 MB byte[] kept on the
/// managed heap), which is gone once the session is built; the encoder then works as before.
/// </summary>
public sealed class ModelLoadTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("papercatalog-model-load-").FullName;

    [Fact]
    public void PackageModel_LoadsThroughAScratchFile_ThatIsDeletedAfterwards()
    {
        using var encoder = TextEncoder.Load(new SemanticOptions().Model, null, scratch: _scratch);

        Assert.Empty(Directory.GetFileSystemEntries(_scratch));
        var vectors = encoder.Encode(["KV cache quantization for long contexts", "serving many LoRA adapters"]);
        Assert.All(vectors, v => Assert.Equal(TextEncoder.Dimensions, v.Length));
        Assert.All(vectors, v => Assert.InRange(TensorPrimitives.Norm(v), 0.999f, 1.001f));
        // Same text, same vector: the file load gives the model the byte[] load gave.
        var bytes = SentenceTransformers.ResourceLoader.GetResource(System.Reflection.Assembly.Load("SentenceTransformers." + encoder.Model), "model.onnx");
        using var fromBytes = TextEncoder.Load(encoder.Model, null, graph: bytes);
        Assert.InRange(TensorPrimitives.CosineSimilarity(vectors[0], fromBytes.Encode(["KV cache quantization for long contexts"])[0]), 0.9999f, 1.0001f);
    }

    [Fact]
    public void AScratchFolderThatCannotBeWritten_FallsBackToLoadingFromMemory()
    {
        var missing = Path.Combine(_scratch, "no", "such", "folder");
        using var encoder = TextEncoder.Load(new SemanticOptions().Model, null, scratch: missing);

        Assert.False(Directory.Exists(missing));
        Assert.Equal(TextEncoder.Dimensions, encoder.EncodeQuery("paged attention").Length);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
