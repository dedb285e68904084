using System.Runtime.InteropServices;

namespace PaperCatalog.Tests.Build;

/// <summary>
/// Directory.Build.props copies only this machine's native libraries: ONNX Runtime's and SkiaSharp's natives for every
/// other platform made each output folder about 750 MB and once filled a CI machine's disk before a test ran.
/// </summary>
public sealed class OutputFolderTests
{
    [Fact]
    public void TheOutputHoldsNativesForThisPlatformOnly()
    {
        var runtimes = Path.Combine(AppContext.BaseDirectory, "runtimes");
        var rid = RuntimeInformation.RuntimeIdentifier;
        var os = rid.Split('-')[0];
        string[] allowed = [rid, os, OperatingSystem.IsWindows() ? "win" : "unix", "any"];

        var present = Directory.Exists(runtimes)
            ? Directory.GetDirectories(runtimes).Select(Path.GetFileName).ToArray()
            : [];

        Assert.All(present, folder => Assert.Contains(folder, allowed));
        // The site's own natives are still there: the embedding model and the figure thumbnails need them.
        Assert.True(File.Exists(Path.Combine(runtimes, rid, "native", OperatingSystem.IsWindows() ? "onnxruntime.dll" : "libonnxruntime.so"))
                    || File.Exists(Path.Combine(runtimes, rid, "native", "libonnxruntime.dylib")),
            $"ONNX Runtime's native library for {rid} is missing from {runtimes}");
    }

    [Fact]
    public void TheOutputFolderStaysSmall()
    {
        var bytes = new DirectoryInfo(AppContext.BaseDirectory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Assert.True(bytes < 200L << 20, $"the test output folder is {bytes >> 20} MB (budget 200 MB)");
    }
}
