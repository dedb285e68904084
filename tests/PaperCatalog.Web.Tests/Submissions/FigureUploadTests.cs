using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using PaperCatalog.Figures;
using PaperCatalog.TestSupport;
using PaperCatalog.Web.Tests.Infrastructure;
using SkiaSharp;

namespace PaperCatalog.Web.Tests.Submissions;

/// <summary>
/// A figure with a submission, through real HTTP, real multipart bodies and real antiforgery tokens: accepted and
/// refused uploads, the figure under review and on the status page, and on approval the paper's own figure.
/// </summary>
public sealed class FigureUploadTests(SiteFactory site) : IClassFixture<SiteFactory>
{
    // One site for the class: each test submits papers of its own (titles and links differ).
    private readonly SiteFactory _site = site;

    private static Dictionary<string, string?> Paper(string title, string arxiv, string? description = "Two coloured halves") =>
        new(SubmissionFlowTests.Paper(title, "https://arxiv.org/abs/" + arxiv)) { ["FigureDescription"] = description };

    private static async Task<IHtmlFormElement> SubmitFormAsync(HttpClient client, string url = "/submit") =>
        (IHtmlFormElement)(await Html.GetOkAsync(client, url)).QuerySelector("form[data-submit-form]")!;

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, Dictionary<string, string?> values, Forms.Upload? figure) =>
        await Forms.PostMultipartAsync(client, await SubmitFormAsync(client), values, figure is null ? [] : [figure]);

    /// <summary>The review page of the pending submission with <paramref name="title"/>.</summary>
    private static async Task<IHtmlDocument> ReviewAsync(HttpClient moderator, string title)
    {
        var queue = await Html.GetOkAsync(moderator, "/admin?q=" + Uri.EscapeDataString(title));
        return await Html.GetOkAsync(moderator, queue.QuerySelectorAll(".queue-item h2 a").Single(a => a.Text() == title).GetAttribute("href")!);
    }

    private static async Task<HttpResponseMessage> ApproveAsync(HttpClient moderator, IHtmlDocument review)
    {
        var form = (IHtmlFormElement)review.QuerySelector("main form.paper-form")!;
        return await Forms.PostAsync(moderator, form, new Dictionary<string, string?>(), form.QuerySelector("button[formaction]")!.GetAttribute("formaction"));
    }

    private static (int Width, int Height) PixelSize(byte[] image)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(image));
        Assert.NotNull(codec);
        return (codec.Info.Width, codec.Info.Height);
    }

    public static TheoryData<string, string, string> Accepted => new()
    {
        { "png", "figure.png", "image/png" },
        { "jpeg", "photo.jpg", "image/jpeg" },
        { "webp", "figure.webp", "image/webp" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Submit_WithAPngJpegOrWebpFigure_IsStored_AndShownOnTheStatusAndReviewPagesWithItsTypeAndNosniff(string kind, string fileName, string type)
    {
        var bytes = kind switch { "png" => TestImages.Png(), "jpeg" => TestImages.Jpeg(), _ => TestImages.Webp() };
        var title = $"Figure Submission in {kind.ToUpperInvariant()}";
        var reader = _site.CreateReader();
        var sent = await SubmitAsync(reader, Paper(title, kind switch { "png" => "2501.00001", "jpeg" => "2501.00002", _ => "2501.00003" }), new("Figure", bytes, fileName, type));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);

        // The submitter sees it, from a private address that no cache keeps.
        var status = await Html.GetOkAsync(reader, sent.Headers.Location!.OriginalString);
        var img = status.QuerySelector(".submitted .paper-figure img")!;
        Assert.Equal("Two coloured halves", img.GetAttribute("alt"));
        Assert.Equal(("24", "16"), (img.GetAttribute("width"), img.GetAttribute("height")));
        var own = await reader.GetAsync(img.GetAttribute("src"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(type, own.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", own.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("no-store", own.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal((24, 16), PixelSize(await own.Content.ReadAsByteArrayAsync()));

        // The moderator sees it beside the submission; a reader cannot open the moderators' address.
        var moderator = await _site.SignedInAsync();
        var review = await ReviewAsync(moderator, title);
        var shown = review.QuerySelector("aside .paper-figure img")!.GetAttribute("src")!;
        Assert.Matches("^/admin/submissions/[0-9]+/figure$", shown);
        var forModerator = await moderator.GetAsync(shown);
        Assert.Equal(type, forModerator.Content.Headers.ContentType!.MediaType);
        Assert.NotEqual(HttpStatusCode.OK, (await _site.CreateReader().GetAsync(shown)).StatusCode);
        Assert.Contains(review.QuerySelectorAll(".queue-kind .tag, .figure-facts"), e => e.Text().Contains("24 × 16 pixels", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string, string> Refused => new()
    {
        { "svg", "diagram.svg", "image/svg+xml", "SVG figures are not accepted" },
        { "html", "figure.png", "image/png", "not a PNG, JPEG, WebP or GIF image" },
        { "truncated", "figure.png", "image/png", "damaged or cut short" },
        { "bomb", "figure.png", "image/png", "20,000 × 20,000 pixels" },
        { "oversize", "figure.png", "image/png", "at most 2 MB fit" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Submit_WithARefusedFigure_ComesBackWithEverythingTyped_TheFigureFieldSayingWhy_AndStoresNothing(string kind, string fileName, string type, string message)
    {
        var bytes = kind switch
        {
            "svg" => TestImages.Svg(),
            "html" => TestImages.Html(),
            "truncated" => TestImages.TruncatedPng(),
            "bomb" => TestImages.BombPng(),
            _ => TestImages.OverSize(FigureImages.MaxBytes + 1),
        };
        var title = "Refused Figure " + kind;
        var values = Paper(title, "2502.0000" + Array.IndexOf(["svg", "html", "truncated", "bomb", "oversize"], kind), "A figure that is refused");
        var reader = _site.CreateReader();
        var response = await SubmitAsync(reader, values, new("Figure", bytes, fileName, type));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        Assert.Contains(message, doc.QuerySelector("[data-valmsg-for='Figure']").Text(), StringComparison.Ordinal);
        Assert.Equal("true", doc.QuerySelector<IHtmlInputElement>("#Figure")!.GetAttribute("aria-invalid"));
        var form = (IHtmlFormElement)doc.QuerySelector("form[data-submit-form]")!;
        Assert.Equal(title, form.QuerySelector<IHtmlInputElement>("[name='Input.Title']")!.Value);
        Assert.Equal(values["Input.Intro"], form.QuerySelector<IHtmlTextAreaElement>("[name='Input.Intro']")!.Value.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("A figure that is refused", form.QuerySelector<IHtmlInputElement>("[name='FigureDescription']")!.Value);
        var moderator = await _site.SignedInAsync();
        Assert.Empty((await Html.GetOkAsync(moderator, "/admin?q=" + Uri.EscapeDataString(title))).QuerySelectorAll(".queue-item"));
    }

    [Fact]
    public async Task AFigureThatPassed_IsKeptWhileTheFormComesBackForAnotherField_AndGoesWithTheSubmission()
    {
        // A browser never keeps a chosen file: the form came back for a too-long title and the figure was lost.
        var reader = _site.CreateReader();
        var values = Paper("Kept Figure Paper", "2509.07771");
        values["Input.Title"] = new string('T', 301);
        var back = await Html.ParseAsync(await SubmitAsync(reader, values, new("Figure", TestImages.Png(), "kept.png", "image/png")));
        Assert.Contains("PNG, 24 × 16 pixels", back.QuerySelector(".figure-kept")!.TextContent, StringComparison.Ordinal);
        var form = (IHtmlFormElement)back.QuerySelector("form[data-submit-form]")!;
        Assert.Contains("Input.Title", back.QuerySelector("[data-valmsg-for='Input.Title']")!.GetAttribute("data-valmsg-for"), StringComparison.Ordinal);

        // Sent again with the title fixed and no file chosen: the kept figure is the submission's.
        var sent = await Forms.PostMultipartAsync(reader, form, new Dictionary<string, string?> { ["Input.Title"] = "Kept Figure Paper" });
        Assert.True(sent.StatusCode == HttpStatusCode.Redirect, string.Join(" | ", (await Html.ParseAsync(sent)).QuerySelectorAll(".field-error, .validation-summary-errors").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0)));
        var status = await Html.GetOkAsync(reader, sent.Headers.Location!.OriginalString);
        var img = status.QuerySelector(".submitted .paper-figure img")!;
        Assert.Equal(("24", "16"), (img.GetAttribute("width"), img.GetAttribute("height")));
        Assert.Equal((24, 16), PixelSize(await (await reader.GetAsync(img.GetAttribute("src"))).Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public void AKeptFigureAtTheSizeLimit_TravelsInPiecesUnderTheFormsValueLimit_AndComesBackWhole()
    {
        // One 2.8 MB base64 field would break the forms' 256 KB value limit; pieces keep it for every field.
        var bytes = new byte[FigureImages.MaxBytes];
        new Random(7).NextBytes(bytes);
        var pieces = PaperCatalog.Web.Pages.Shared.KeptFigure.Encode(new Figure("image/png", bytes, 1, 1));
        Assert.All(pieces, p => Assert.True(p.Length <= 256 * 1024));
        Assert.True(pieces.Count <= 32, $"{pieces.Count} pieces");
        Assert.Equal(bytes, PaperCatalog.Web.Pages.Shared.KeptFigure.Decode(pieces));
        Assert.Null(PaperCatalog.Web.Pages.Shared.KeptFigure.Decode([.. pieces, "AAAA"])); // one piece too many: over the limit
        Assert.Null(PaperCatalog.Web.Pages.Shared.KeptFigure.Decode(["not base64!"]));
    }

    [Fact]
    public async Task AKeptFigureFieldIsCheckedAgain_SoAHandMadeOneCarryingHtmlIsRefused_WithTheFormKept()
    {
        var reader = _site.CreateReader();
        var form = await SubmitFormAsync(reader);
        var values = Paper("Hand Made Kept Figure", "2509.07772");
        values["KeptFigure"] = Convert.ToBase64String(TestImages.Html());
        var response = await Forms.PostMultipartAsync(reader, form, values);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = await Html.ParseAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(doc.QuerySelector("[data-valmsg-for='Figure']")!.TextContent));
        Assert.Null(doc.QuerySelector(".figure-kept"));
        Assert.Equal("Hand Made Kept Figure", doc.QuerySelector<IHtmlInputElement>("[name='Input.Title']")!.Value);
    }

    [Fact]
    public async Task Submit_AFigureWithoutADescription_OrADescriptionWithoutAFigure_NamesTheMissingField()
    {
        var reader = _site.CreateReader();
        var noDescription = await Html.ParseAsync(await SubmitAsync(reader, Paper("Figure Without Words", "2503.00001", description: null), new("Figure", TestImages.Png(), "f.png", "image/png")));
        Assert.Contains("Describe what the figure shows", noDescription.QuerySelector("[data-valmsg-for='FigureDescription']").Text(), StringComparison.Ordinal);
        var noFile = await Html.ParseAsync(await SubmitAsync(reader, Paper("Words Without Figure", "2503.00002"), null));
        Assert.Contains("Choose the figure file", noFile.QuerySelector("[data-valmsg-for='Figure']").Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApprovingASubmissionWithAFigure_MakesItThePapersFigure_ServedFromTheSiteWithItsTypeAndNosniff()
    {
        const string title = "Approved Figure Paper";
        var reader = _site.CreateReader();
        var sent = await SubmitAsync(reader, Paper(title, "2504.00001", "Blue on the left, amber on the right"), new("Figure", TestImages.Png(), "f.png", "image/png"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var moderator = await _site.SignedInAsync();
        var paperUrl = await Decisions.PaperPathAsync(moderator, await ApproveAsync(moderator, await ReviewAsync(moderator, title)));

        var page = await Html.GetOkAsync(reader, paperUrl);
        var img = page.QuerySelector("article .paper-figure img")!;
        Assert.Equal("Blue on the left, amber on the right", img.GetAttribute("alt"));
        var src = img.GetAttribute("src")!;
        Assert.StartsWith(paperUrl + "/media/figure/", src, StringComparison.Ordinal);
        Assert.Equal(src, img.ParentElement!.GetAttribute("href")); // opens full size without JavaScript
        var served = await reader.GetAsync(src);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", served.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal((24, 16), PixelSize(await served.Content.ReadAsByteArrayAsync()));
        var audit = (await Html.GetOkAsync(moderator, "/admin/audit")).QuerySelector("table").Text();
        Assert.Contains("published the figure (24 × 16 image/png", audit, StringComparison.Ordinal);

        // A stored image that went bad (a restored backup, a hand edit) never breaks the page: it is only an address there.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_site.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            using var spoil = connection.CreateCommand();
            spoil.CommandText = "UPDATE paper_media SET bytes = X'3C68746D6C3E' WHERE path LIKE 'figure/%';";
            Assert.True(await spoil.ExecuteNonQueryAsync() >= 1);
        }
        Assert.NotNull((await Html.GetOkAsync(_site.CreateReader(), paperUrl)).QuerySelector("article .paper-figure img"));
        var spoiled = await reader.GetAsync(src);
        Assert.Equal("image/png", spoiled.Content.Headers.ContentType!.MediaType); // never sniffed into HTML
        Assert.Equal("nosniff", spoiled.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task ACorrectionProposingOnlyANewFigure_IsAChange_AndApprovingItReplacesThePapersFigure()
    {
        var reader = _site.CreateReader();
        var form = await SubmitFormAsync(reader, "/submit?correct=medusa");
        var sent = await Forms.PostMultipartAsync(reader, form, new Dictionary<string, string?> { ["FigureDescription"] = "Medusa heads, first version" }, new Forms.Upload("Figure", TestImages.Png(), "a.png", "image/png"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var moderator = await _site.SignedInAsync();
        var queue = await Html.GetOkAsync(moderator, "/admin?kind=correction");
        var item = queue.QuerySelectorAll(".queue-item").Single(i => i.QuerySelector(".queue-kind a")?.GetAttribute("href") == "/papers/medusa");
        Assert.Contains("With a figure", item.QuerySelector(".queue-kind").Text(), StringComparison.Ordinal);
        await ApproveAsync(moderator, await Html.GetOkAsync(moderator, item.QuerySelector("h2 a")!.GetAttribute("href")!));
        var first = (await Html.GetOkAsync(reader, "/papers/medusa")).QuerySelector(".paper-figure img")!.GetAttribute("src")!;

        form = await SubmitFormAsync(reader, "/submit?correct=medusa");
        sent = await Forms.PostMultipartAsync(reader, form, new Dictionary<string, string?> { ["FigureDescription"] = "Medusa heads, wider" }, new Forms.Upload("Figure", TestImages.Png(48, 16), "b.png", "image/png"));
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        queue = await Html.GetOkAsync(moderator, "/admin?kind=correction");
        item = queue.QuerySelectorAll(".queue-item").Single(i => i.QuerySelector(".queue-kind a")?.GetAttribute("href") == "/papers/medusa");
        await ApproveAsync(moderator, await Html.GetOkAsync(moderator, item.QuerySelector("h2 a")!.GetAttribute("href")!));

        var img = (await Html.GetOkAsync(reader, "/papers/medusa")).QuerySelector(".paper-figure img")!;
        Assert.Equal(("48", "Medusa heads, wider"), (img.GetAttribute("width"), img.GetAttribute("alt")));
        Assert.NotEqual(first, img.GetAttribute("src"));
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync(first)).StatusCode);
    }

    [Fact]
    public async Task TheQueue_MarksCorrections_AndFiltersNewPapersFromCorrections()
    {
        var reader = _site.CreateReader();
        var correction = await SubmitFormAsync(reader, "/submit?correct=eagle");
        Assert.Equal(HttpStatusCode.Redirect, (await Forms.PostAsync(reader, correction, new Dictionary<string, string?> { ["Input.Citations"] = "4321" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitAsync(reader, Paper("A Brand New Queue Paper", "2505.00001", null), null)).StatusCode);

        var moderator = await _site.SignedInAsync();
        var all = await Html.GetOkAsync(moderator, "/admin");
        var marked = all.QuerySelectorAll(".queue-item").Single(i => i.QuerySelector(".queue-kind a")?.GetAttribute("href") == "/papers/eagle");
        Assert.Equal("Correction", marked.QuerySelector(".tag-correction").Text());
        Assert.Null(all.QuerySelectorAll(".queue-item").Single(i => i.QuerySelector("h2").Text() == "A Brand New Queue Paper").QuerySelector(".tag-correction"));

        var corrections = (await Html.GetOkAsync(moderator, "/admin?kind=correction")).QuerySelectorAll(".queue-item");
        Assert.All(corrections, i => Assert.NotNull(i.QuerySelector(".tag-correction")));
        Assert.Contains(corrections, i => i.QuerySelector(".queue-kind a")?.GetAttribute("href") == "/papers/eagle");
        var fresh = await Html.GetOkAsync(moderator, "/admin?kind=new");
        Assert.All(fresh.QuerySelectorAll(".queue-item"), i => Assert.Null(i.QuerySelector(".tag-correction")));
        Assert.Contains(fresh.QuerySelectorAll(".queue-item h2"), h => h.Text() == "A Brand New Queue Paper");
        Assert.Equal("new", fresh.QuerySelector<IHtmlSelectElement>("#queue-kind")!.SelectedOptions.Single().Value);
    }

    [Fact]
    public async Task TheReviewPagesIntroBox_ScrollsFromTheKeyboard_ItIsFocusableAndNamed()
    {
        var reader = _site.CreateReader();
        Assert.Equal(HttpStatusCode.Redirect, (await SubmitAsync(reader, Paper("Scrolling Intro Paper", "2506.00001", null), null)).StatusCode);
        var moderator = await _site.SignedInAsync();
        var box = (await ReviewAsync(moderator, "Scrolling Intro Paper")).QuerySelector(".intro-box")!;
        Assert.Equal("0", box.GetAttribute("tabindex"));
        Assert.Equal("region", box.GetAttribute("role"));
        Assert.NotNull(box.Owner!.GetElementById(box.GetAttribute("aria-labelledby")!));
    }
}
