using System.Globalization;
using System.Net.Mail;

namespace PaperCatalog.Submissions;

/// <summary>What a reader typed into the submission form, kept as typed (every field a string) so nothing is lost.</summary>
public sealed class SubmissionForm
{
    public const int MaxTitle = 300;
    public const int MaxLink = 2_000;
    public const int MaxTopicName = 80;
    public const int MaxKeywords = 300;
    public const int MaxKeywordCount = 12;
    public const int MaxKeyword = 60;
    public const int MaxAffiliation = 300;
    public const int MaxAuthors = 2_000;
    public const int MaxVenue = 80;
    public const int MaxName = 100;
    public const int MaxEmail = 254;
    public const long MaxCitations = 10_000_000;
    /// <summary>The topic value that means "suggest a new topic".</summary>
    public const string NewTopic = "new";

    public string? Title { get; set; }
    public string? Link { get; set; }
    public string? Code { get; set; }
    public string? Authors { get; set; }
    public string? Topic { get; set; }
    public string? NewTopicName { get; set; }
    public string? Keywords { get; set; }
    public string? Affiliation { get; set; }
    public string? Date { get; set; }
    public string? Venue { get; set; }
    public string? Citations { get; set; }
    public string? Intro { get; set; }
    public string? Name { get; set; }
    public string? Email { get; set; }

    /// <summary>The chosen topic's slug, or null when the form suggests a new topic (<see cref="SuggestedTopic"/>).</summary>
    public string? ChosenTopic => Topic == NewTopic || string.IsNullOrWhiteSpace(Topic) ? null : Topic.Trim();

    /// <summary>The name of a suggested new topic, or null.</summary>
    public string? SuggestedTopic => Topic == NewTopic && !string.IsNullOrWhiteSpace(NewTopicName) ? NewTopicName.Trim() : null;

    /// <summary>An intro as stored: null when empty, line ends as "\n".</summary>
    public static string? IntroText(string? intro) => string.IsNullOrWhiteSpace(intro) ? null : intro.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>
    /// Each field of the paper as (label, value as it will be stored), for the audit log's "field: old → new" lines. The
    /// submitter's name and e-mail are not the paper's and stay out. Every property is listed, so a new field is audited
    /// without a change here.
    /// </summary>
    public IEnumerable<(string Label, string? Value)> PaperValues() => FormProperties.Select(p => (Label(p.Name), p.Name switch
    {
        nameof(Keywords) => string.Join(", ", KeywordList),
        nameof(Intro) => IntroText(Intro),
        _ => ((string?)p.GetValue(this))?.Trim(),
    }));

    private static readonly System.Reflection.PropertyInfo[] FormProperties = typeof(SubmissionForm).GetProperties()
        .Where(p => p.PropertyType == typeof(string) && p.CanWrite && p.Name is not (nameof(Name) or nameof(Email))).ToArray();

    /// <summary>"NewTopicName" as "new topic name".</summary>
    private static string Label(string property) =>
        string.Concat(property.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The authors as a list, read as a list's Authors column is: "A, B and C", or "Smith, J.; Doe, A." with semicolons.</summary>
    public IReadOnlyList<string> AuthorList => Importing.RowReader.ReadAuthors(Authors ?? "");

    /// <summary>The keywords as a list: split at commas, trimmed, empty ones and repeats dropped.</summary>
    public IReadOnlyList<string> KeywordList =>
        (Keywords ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>
    /// Every problem with the form, keyed by field name (as the properties are named), each a sentence a person can act
    /// on. <paramref name="topics"/> are the catalog's topic slugs; <paramref name="today"/> bounds the date.
    /// </summary>
    public Dictionary<string, string> Validate(IReadOnlyCollection<string> topics, DateOnly today)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        void Require(string field, string? value, string label, int max)
        {
            if (string.IsNullOrWhiteSpace(value)) errors[field] = $"Enter the {label}.";
            else if (value.Trim().Length > max) errors[field] = $"The {label} is {value.Trim().Length:N0} characters long; at most {max:N0} fit.";
        }
        void Optional(string field, string? value, string label, int max)
        {
            if (value is not null && value.Trim().Length > max) errors[field] = $"The {label} is {value.Trim().Length:N0} characters long; at most {max:N0} fit.";
        }

        Require(nameof(Title), Title, "paper's title", MaxTitle);
        Require(nameof(Link), Link, "link to the paper", MaxLink);
        if (!errors.ContainsKey(nameof(Link)) && !PaperUrls.IsWebAddress(Link!.Trim()))
            errors[nameof(Link)] = "Enter a web address starting with http:// or https://, an arXiv id such as 2305.13245, or a DOI such as 10.1145/3600006.3613165.";

        Optional(nameof(Code), Code, "code link", MaxLink);
        if (!errors.ContainsKey(nameof(Code)) && !string.IsNullOrWhiteSpace(Code) && !PaperUrls.IsWebAddress(Code.Trim()))
            errors[nameof(Code)] = "The code link must be a web address starting with http:// or https://, such as https://github.com/owner/repository, or leave it empty.";
        Optional(nameof(Authors), Authors, "list of authors", MaxAuthors);

        if (string.IsNullOrWhiteSpace(Topic)) errors[nameof(Topic)] = "Choose a topic, or suggest a new one.";
        else if (Topic == NewTopic) Require(nameof(NewTopicName), NewTopicName, "name of the new topic", MaxTopicName);
        else if (!topics.Contains(Topic)) errors[nameof(Topic)] = "Choose one of the topics in the list, or suggest a new one.";

        Require(nameof(Keywords), Keywords, "keywords", MaxKeywords);
        if (!errors.ContainsKey(nameof(Keywords)))
        {
            var list = KeywordList;
            if (list.Count == 0) errors[nameof(Keywords)] = "Enter at least one keyword, such as the paper's short name.";
            else if (list.Count > MaxKeywordCount) errors[nameof(Keywords)] = $"Enter at most {MaxKeywordCount} keywords, separated by commas.";
            else if (list.FirstOrDefault(k => k.Length > MaxKeyword) is { } tooLong) errors[nameof(Keywords)] = $"The keyword \"{tooLong[..20]}…\" is too long; keep each under {MaxKeyword} characters.";
        }

        Require(nameof(Affiliation), Affiliation, "affiliation", MaxAffiliation);

        if (PaperDates.MonthProblem(Date, today) is { } dateProblem) errors[nameof(Date)] = dateProblem;

        Optional(nameof(Venue), Venue, "venue", MaxVenue);
        if (!string.IsNullOrWhiteSpace(Citations))
        {
            if (!long.TryParse(Citations.Trim().Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var c))
                errors[nameof(Citations)] = "Enter the citation count as a whole number of 0 or more, or leave it empty.";
            else if (c > MaxCitations)
                errors[nameof(Citations)] = $"That citation count is larger than any paper has; enter at most {MaxCitations:N0}.";
        }

        // The intro's limits (size, nesting, tables, ...) are the Markdown budget's, checked where it is rendered.

        Optional(nameof(Name), Name, "name", MaxName);
        if (!string.IsNullOrWhiteSpace(Email))
        {
            if (Email.Trim().Length > MaxEmail || !MailAddress.TryCreate(Email.Trim(), out var address) || address.Address != Email.Trim() || !address.Host.Contains('.', StringComparison.Ordinal))
                errors[nameof(Email)] = "Enter an e-mail address such as name@example.org, or leave it empty.";
        }
        return errors;
    }
}
