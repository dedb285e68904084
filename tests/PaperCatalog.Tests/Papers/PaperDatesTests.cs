using PaperCatalog.Importing;
using PaperCatalog.Submissions;

namespace PaperCatalog.Tests.Papers;

/// <summary>One date rule: the same month is read the same way, and the same years are accepted, in lists, forms and filters.</summary>
public sealed class PaperDatesTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    [Theory]
    [InlineData("2024.07", "2024.07")]
    [InlineData("2024-07", "2024.07")]
    [InlineData("2024/7", "2024.07")]
    [InlineData(" 1900.01 ", "1900.01")]
    [InlineData("2200.12", "2200.12")]
    [InlineData("1899.12", null)]
    [InlineData("2201.01", null)]
    [InlineData("2024.13", null)]
    [InlineData("2024.0", null)]
    [InlineData("24.07", null)]
    [InlineData("July 2024", null)]
    [InlineData("٢٠٢٣.٠٧", null)]
    public void Month_IsReadAndNormalised_WithinTheCatalogsYears(string text, string? month) => Assert.Equal(month, PaperDates.Month(text));

    [Theory]
    [InlineData("1986.10")]
    [InlineData("2024.7")]
    [InlineData("2026.11")]
    public void ListAndForm_AcceptTheSameMonths(string text)
    {
        var row = ListParser.Parse(Lists.OneTopic($"| X | **A Paper** | [[pdf](https://example.org/a.pdf)] | Lab | {text} | 1 |"), "list.md").Papers.Single();
        Assert.Equal(PaperDates.Month(text), row.Published);
        Assert.Null(PaperDates.MonthProblem(row.Published, Today));
    }

    [Theory]
    [InlineData("1899.12", "between 1900.01 and this month (2026.11)")]
    [InlineData("2026.12", "between 1900.01 and this month (2026.11)")]
    [InlineData("2024.13", "YYYY.MM")]
    [InlineData("", "Enter the date")]
    public void MonthProblem_SaysWhatIsWrong(string text, string message) => Assert.Contains(message, PaperDates.MonthProblem(text, Today), StringComparison.Ordinal);

    [Theory]
    [InlineData("2026-11-20", true)]
    [InlineData("1900-01-01", true)]
    [InlineData("2026-11-21", false)]
    [InlineData("1899-12-31", false)]
    [InlineData("2026-02-30", false)]
    [InlineData("20.11.2026", false)]
    public void PastDay_IsAnIsoDayFromFirstYearUntilToday(string text, bool ok) => Assert.Equal(ok, PaperDates.PastDay(text, Today) is not null);

    [Fact]
    public void ListCitationDate_OutsideTheCatalogsYears_IsNotADate()
    {
        Assert.Null(ListParser.ParseCitationDate("1899-12-31"));
        Assert.Null(ListParser.ParseCitationDate("1st July, 2201"));
        Assert.Equal(new DateOnly(2024, 7, 1), ListParser.ParseCitationDate("1st July, 2024"));
    }

    [Fact]
    public void SubmissionForm_UsesTheSameBounds()
    {
        var form = new SubmissionForm { Date = "1899.12" };
        Assert.Equal(PaperDates.MonthProblem("1899.12", Today), form.Validate([], Today)[nameof(SubmissionForm.Date)]);
    }
}
