namespace PaperCatalog.Web.Hosting;

/// <summary>
/// Configuration section <c>RateLimits</c>: per-client allowances for the public reads that cost real work. Each is a
/// bucket of that many requests, refilled evenly over <see cref="WindowSeconds"/>, so a burst of typing is fine and a
/// flood is not. (Form posts have theirs in <see cref="SubmissionOptions"/>.)
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Searches (the /search page and /api/search together); live search asks once per pause in typing.</summary>
    public int SearchPermits { get; set; } = 120;

    /// <summary>Duplicate checks (/api/submissions/duplicates), which the submit form runs as the title and link are typed.</summary>
    public int DuplicateCheckPermits { get; set; } = 60;

    /// <summary>404 pages with "did you mean" suggestions; past this, a client still gets the 404 page, without them.</summary>
    public int SuggestionPermits { get; set; } = 30;

    /// <summary>
    /// List citation exports (a topic's, a keyword's, the whole catalog's) per client per window; the whole catalog at
    /// 100,000 papers is seconds of a core (README, Exports' budget).
    /// </summary>
    public int ExportPermits { get; set; } = 10;

    /// <summary>List exports one node writes at once; another waits up to <see cref="ExportWaitSeconds"/>, then gets 429.</summary>
    public int ConcurrentExports { get; set; } = 2;

    public int ExportWaitSeconds { get; set; } = 5;

    public int WindowSeconds { get; set; } = 60;
}
