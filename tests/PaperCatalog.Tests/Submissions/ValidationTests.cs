using PaperCatalog.Submissions;

namespace PaperCatalog.Tests.Submissions;

public sealed class ValidationTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly string[] Topics = ["attention", "quantization"];

    private static SubmissionForm Valid() => new()
    {
        Title = "A Paper", Link = "https://arxiv.org/abs/2401.00001", Topic = "attention", Keywords = "APaper, KV cache",
        Affiliation = "Somewhere", Date = "2024.01",
    };

    private static Dictionary<string, string> Errors(Action<SubmissionForm> change)
    {
        var form = Valid();
        change(form);
        return form.Validate(Topics, Today);
    }

    [Fact]
    public void ValidForm_HasNoErrors() => Assert.Empty(Valid().Validate(Topics, Today));

    [Theory]
    [InlineData(nameof(SubmissionForm.Title))]
    [InlineData(nameof(SubmissionForm.Link))]
    [InlineData(nameof(SubmissionForm.Topic))]
    [InlineData(nameof(SubmissionForm.Keywords))]
    [InlineData(nameof(SubmissionForm.Affiliation))]
    [InlineData(nameof(SubmissionForm.Date))]
    public void RequiredField_Missing_IsNamed(string field)
    {
        var errors = Errors(f => typeof(SubmissionForm).GetProperty(field)!.SetValue(f, "  "));
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Title_Over300_IsRefused() => Assert.Contains("300", Errors(f => f.Title = new string('x', 301))[nameof(SubmissionForm.Title)], StringComparison.Ordinal);

    [Fact]
    public void Title_Of300_IsFine() => Assert.Empty(Errors(f => f.Title = new string('x', 300)));

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/paper.pdf")]
    [InlineData("data:text/html,hi")]
    [InlineData("arxiv.org/abs/2401.00001")]
    [InlineData("https://")]
    [InlineData("https://exa mple.org")]
    public void Link_MustBeHttp(string link) => Assert.Contains(nameof(SubmissionForm.Link), Errors(f => f.Link = link).Keys);

    [Theory]
    [InlineData("1899.12")]
    [InlineData("2026.12")]
    [InlineData("2027.01")]
    [InlineData("2024.13")]
    [InlineData("2024")]
    [InlineData("July 2024")]
    [InlineData("24.07")]
    public void Date_MustBeYyyyMm_Between1900AndThisMonth(string date) => Assert.Contains(nameof(SubmissionForm.Date), Errors(f => f.Date = date).Keys);

    [Theory]
    [InlineData("1900.01")]
    [InlineData("2026.11")]
    [InlineData("2024-07")]
    public void Date_InRange_IsFine(string date) => Assert.Empty(Errors(f => f.Date = date));

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("many")]
    [InlineData("99999999999")]
    public void Citations_MustBeANonNegativeWholeNumber(string citations) => Assert.Contains(nameof(SubmissionForm.Citations), Errors(f => f.Citations = citations).Keys);

    [Theory]
    [InlineData("0")]
    [InlineData("1,337")]
    [InlineData("")]
    public void Citations_ZeroCommasOrEmpty_AreFine(string citations) => Assert.Empty(Errors(f => f.Citations = citations));

    [Fact]
    public void Topic_Unknown_IsRefused() => Assert.Contains(nameof(SubmissionForm.Topic), Errors(f => f.Topic = "nope").Keys);

    [Fact]
    public void NewTopic_NeedsAName()
    {
        Assert.Equal([nameof(SubmissionForm.NewTopicName)], Errors(f => f.Topic = SubmissionForm.NewTopic).Keys);
        Assert.Empty(Errors(f => { f.Topic = SubmissionForm.NewTopic; f.NewTopicName = "Long Context"; }));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("a@b")]
    [InlineData("Name <a@example.org>")]
    public void Email_WhenGiven_MustBeAnAddress(string email) => Assert.Contains(nameof(SubmissionForm.Email), Errors(f => f.Email = email).Keys);

    [Fact]
    public void Keywords_TooMany_IsRefused() => Assert.Contains(nameof(SubmissionForm.Keywords), Errors(f => f.Keywords = string.Join(",", Enumerable.Range(0, 13).Select(i => "k" + i))).Keys);
}
