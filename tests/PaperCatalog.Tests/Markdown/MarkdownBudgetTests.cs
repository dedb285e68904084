using System.Text;
using AngleSharp.Html.Parser;
using PaperCatalog.Markdown;
using PaperCatalog.Testing;

namespace PaperCatalog.Tests.Markdown;

/// <summary>Every render works within <see cref="MarkdownBudget"/> and never throws: a text over it is a reason and a notice.</summary>
public sealed class MarkdownBudgetTests
{
    private readonly MarkdownRenderer _renderer = new();

    public static TheoryData<HostileShape> Reproductions => new(HostileMarkdown.Reproductions);
    public static TheoryData<HostileShape> Shapes => new(HostileMarkdown.All);

    [Theory]
    [MemberData(nameof(Reproductions))]
    public void IssueReproductions_TableAndReferenceBombsAndDeepNesting_AreRefusedWithAReason(HostileShape shape)
    {
        var rendered = _renderer.RenderChecked(shape.Markdown);
        Assert.NotNull(rendered.Problem);
        Assert.Equal(MarkdownRenderer.Notice(rendered.Problem), rendered.Html);
        Assert.Equal(rendered.Html, _renderer.Render(shape.Markdown));
        Assert.True(rendered.Html.Length < 1000, rendered.Html);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void HostileShapesAtTheSizeLimit_AreAcceptedWithinTheBudgetOrRefused_NeverThrown(HostileShape shape)
    {
        var budget = MarkdownBudget.Default;
        var rendered = _renderer.RenderChecked(shape.Markdown);
        if (rendered.Problem is { } problem)
        {
            Assert.Equal(MarkdownRenderer.Notice(problem), rendered.Html);
            Assert.InRange(problem.Line, 1, shape.Markdown.Split('\n').Length);
            Assert.Empty(_renderer.Inspect(shape.Markdown).Links);
            Assert.Equal(problem, _renderer.Inspect(shape.Markdown).Problem);
            return;
        }
        Assert.True(rendered.Html.Length <= budget.MaxOutputChars, $"{rendered.Html.Length} characters of HTML");
        var elements = new HtmlParser().ParseDocument("<body>" + rendered.Html).Body!.QuerySelectorAll("*").Length;
        Assert.True(elements <= 2 * budget.MaxElements, $"{elements} elements");
        Assert.Null(_renderer.Inspect(shape.Markdown).Problem);
    }

    [Fact]
    public void BundledIntrosJoinedTo64KB_AreAccepted_SoTheBudgetFitsRealIntros()
    {
        var rendered = _renderer.RenderChecked(BundledIntrosJoined());
        Assert.Null(rendered.Problem);
    }

    [Fact]
    public void TimeBudget_CountsTheRenderingThreadsProcessorTime_NotTimeSpentWaiting()
    {
        var clock = ThreadCpuClock.Instance;
        Assert.True(clock.IsProcessorTime, "this platform has a per-thread processor clock");
        var start = clock.GetTimestamp();
        Thread.Sleep(TimeSpan.FromMilliseconds(500)); // half a second of waiting, as a thread does on a busy machine
        Assert.True(clock.GetElapsedTime(start) < TimeSpan.FromMilliseconds(100), $"{clock.GetElapsedTime(start)} counted while asleep");
        var work = start;
        for (var i = 0; clock.GetTimestamp() == work && i < 10_000; i++) System.Security.Cryptography.SHA256.HashData(new byte[1 << 16]);
        Assert.True(clock.GetTimestamp() > work, "work on the thread moves the clock");
    }

    [Fact]
    public async Task TimeBudget_RefusesAHostileInputOverIt_ButNotALargeNormalIntro_WhileEveryCoreIsBusy()
    {
        // Tightened so a shape within every count still runs past it: the processor-time check refuses it.
        var tight = new MarkdownRenderer(new MarkdownBudget { MaxTime = TimeSpan.FromTicks(1) });
        var hostile = HostileMarkdown.All.First(s => _renderer.RenderChecked(s.Markdown).Problem is null);
        Assert.Contains("s of processor time", tight.RenderChecked(hostile.Markdown).Error, StringComparison.Ordinal);

        // Threads that keep every core busy (a wall clock would count the render's waits for a core); the default budget
        // still accepts 64 KB of real intros.
        using var stop = new CancellationTokenSource();
        var busy = Enumerable.Range(0, 4 * Environment.ProcessorCount)
            .Select(_ => Task.Factory.StartNew(() => { while (!stop.IsCancellationRequested) System.Security.Cryptography.SHA256.HashData(new byte[4096]); }, TaskCreationOptions.LongRunning))
            .ToArray();
        try
        {
            var text = BundledIntrosJoined();
            for (var i = 0; i < 3; i++) Assert.Null(_renderer.RenderChecked(text).Problem);
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(busy);
        }
    }

    private static string BundledIntrosJoined()
    {
        var data = Path.Combine(RepositoryRoot(), "data");
        // data/<topic>/<paper>/README.md: the intros, not the list.
        var intros = Directory.GetFiles(data, "README.md", SearchOption.AllDirectories)
            .Where(f => Path.GetRelativePath(data, f).Split(Path.DirectorySeparatorChar).Length == 3)
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText).ToList();
        var text = new StringBuilder();
        for (var i = 0; Encoding.UTF8.GetByteCount(text.ToString()) + Encoding.UTF8.GetByteCount(intros[i % intros.Count]) < MarkdownBudget.DefaultMaxInputBytes; i++)
            text.Append(intros[i % intros.Count]).Append("\n\n");
        Assert.True(text.Length > 48 * 1024);
        return text.ToString();
    }

    [Fact]
    public void Intro_Over64KB_IsRefused_AndOf64KB_IsAccepted()
    {
        Assert.Null(_renderer.RenderChecked(new string('a', 64 * 1024)).Problem);
        var problem = _renderer.RenderChecked(new string('a', 64 * 1024 + 1)).Problem;
        Assert.NotNull(problem);
        Assert.Contains("at most 64 KB", problem.Message, StringComparison.Ordinal);
        // Bytes, not characters: 22,000 CJK characters are 66,000 bytes of UTF-8.
        Assert.NotNull(_renderer.RenderChecked(new string('注', 22_000)).Problem);
    }

    [Fact]
    public void Problem_NamesTheLineOfTheBlockOverTheBudget()
    {
        var problem = _renderer.RenderChecked("# Title\n\nFine text.\n\n" + new string('>', 40) + " deep\n").Problem;
        Assert.NotNull(problem);
        Assert.Equal(5, problem.Line);
        Assert.Contains("nested 40 levels", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimeBudget_IsCheckedBetweenSteps_ARenderThatTakesTooLongIsRefused()
    {
        var slow = new MarkdownRenderer(clock: new JumpingClock(TimeSpan.FromSeconds(3)));
        var rendered = slow.RenderChecked("Some *short* text.");
        Assert.NotNull(rendered.Problem);
        Assert.Contains("took more than 2 s of processor time", rendered.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASmallerBudget_IsHonoured_ForEveryLimit()
    {
        var tight = new MarkdownRenderer(new MarkdownBudget { MaxDepth = 2, MaxElements = 5, MaxTableCells = 4, MaxUrlChars = 30, MaxMarksPerParagraph = 6 });
        Assert.Contains("nested", tight.RenderChecked("> > > x").Error, StringComparison.Ordinal);
        Assert.Contains("parts", tight.RenderChecked("a\n\nb\n\nc\n\nd\n\ne\n\nf").Error, StringComparison.Ordinal);
        Assert.Contains("cells", tight.RenderChecked("| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |").Error, StringComparison.Ordinal);
        Assert.Contains("addresses", tight.RenderChecked("[a][r]\n\n[b][r]\n\n[r]: https://example.org/a/long/address").Error, StringComparison.Ordinal);
        Assert.Contains("markup", tight.RenderChecked("*a* *b* *c* *d*").Error, StringComparison.Ordinal);
        Assert.Null(tight.RenderChecked("*a* text").Error);
        Assert.Contains("HTML", new MarkdownRenderer(new MarkdownBudget { MaxOutputChars = 50 }).RenderChecked(new string('w', 60)).Error, StringComparison.Ordinal);
        Assert.Contains("reference definitions", new MarkdownRenderer(new MarkdownBudget { MaxReferences = 1 }).RenderChecked("[a]: /a\n[b]: /b").Error, StringComparison.Ordinal);
        Assert.Contains("underlined headings", new MarkdownRenderer(new MarkdownBudget { MaxUnderlinedHeadings = 1 }).RenderChecked("a\n=\n\nb\n---").Error, StringComparison.Ordinal);
        Assert.Contains("more than 7 pieces", new MarkdownRenderer(new MarkdownBudget { MaxMarks = 7 }).RenderChecked("*a* *b*\n\n*c* *d* *e*").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AFenceTheLineCheckMisreads_CannotHideReferenceDefinitionsFromIt()
    {
        // The fence belongs to the quote; the definitions after it are the document's own, which Markdig reads in
        // quadratic time. They are counted wherever they are.
        var text = "> ```\n" + string.Concat(Enumerable.Range(0, 600).Select(i => $"[r{i}]: /x\n"));
        Assert.Contains("reference definitions", _renderer.RenderChecked(text).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPlainText_OverTheBudget_IsEmpty_NotAnException()
    {
        Assert.Equal("", _renderer.ToPlainText(HostileMarkdown.Reproductions[0].Markdown));
        Assert.Equal("", _renderer.ToPlainText(new string('>', 200) + " x"));
        Assert.Equal("Plain words.", _renderer.ToPlainText("Plain *words*."));
    }

    [Fact]
    public void Notice_EncodesTheReason_AndNothingOfTheText()
    {
        var html = MarkdownRenderer.Notice(new MarkdownProblem("<script>alert(1)</script>", 1));
        var doc = new HtmlParser().ParseDocument("<body>" + html);
        Assert.Empty(doc.QuerySelectorAll("script"));
        Assert.Equal("render-refused", doc.Body!.FirstElementChild!.ClassName);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PaperCatalog.sln"))) return dir.FullName;
        throw new InvalidOperationException("PaperCatalog.sln not found above the test folder");
    }

    /// <summary>A clock where every reading is <paramref name="step"/> after the last: any two readings are far apart.</summary>
    private sealed class JumpingClock(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _now += step.Ticks;
    }
}
