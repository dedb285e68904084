using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;

namespace PaperCatalog.Moderation;

/// <summary>One recorded moderation action.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }
    public string At { get; init; } = "";
    public string Moderator { get; init; } = "";
    public string Action { get; init; } = "";
    public string Target { get; init; } = "";
    public string Details { get; init; } = "";
    /// <summary>The title of the submission the entry is about (its target names one), while it exists.</summary>
    public string? SubmissionTitle { get; init; }

    /// <summary>The submission the target names ("submission 12", "submission 12 → /papers/gqa"), if any.</summary>
    public long? SubmissionId => Target.StartsWith(SubmissionPrefix, StringComparison.Ordinal)
        && long.TryParse(Target.AsSpan(SubmissionPrefix.Length).ToString().Split(' ')[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>The site page the target names (a paper or a topic; for an approval, the paper it made), if any.</summary>
    public string? PagePath => Target.Split(' ').LastOrDefault(p => p.StartsWith("/papers/", StringComparison.Ordinal) || p.StartsWith("/topics/", StringComparison.Ordinal));

    internal const string SubmissionPrefix = "submission ";
}

/// <summary>One "field: old → new" line of an entry's details.</summary>
public sealed record AuditChange(string Field, string Old, string New)
{
    /// <summary>The line as a change, or null for a line that is not one (a note, a summary).</summary>
    public static AuditChange? Parse(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon is <= 0 or > 40) return null;
        var arrow = line.IndexOf(" → ", colon, StringComparison.Ordinal);
        if (arrow < 0) return null;
        return new AuditChange(line[..colon], line[(colon + 2)..arrow], line[(arrow + 3)..]);
    }
}

/// <summary>Every moderation action: who, when, what changed. Written in the same transaction as the action.</summary>
public sealed class AuditLog(CatalogDatabase database, TimeProvider clock)
{
    public async Task WriteAsync(SqliteConnection connection, SqliteTransaction tx, string moderator, string action, string target, string details, CancellationToken ct)
    {
        const string sql = "INSERT INTO audit_log (at, moderator, action, target, details) VALUES (@at, @moderator, @action, @target, @details);";
        var at = Timestamps.Now(clock);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { at, moderator, action, target, details }, tx, cancellationToken: ct));
    }

    /// <summary>Writes an entry in its own transaction (for actions that change nothing else, such as signing in).</summary>
    public async Task WriteAsync(string moderator, string action, string target, string details, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await WriteAsync(connection, tx, moderator, action, target, details, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The newest entries first, a page at a time.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(int page, int pageSize, CancellationToken ct)
    {
        const string sql = """
            SELECT a.id AS Id, a.at AS At, a.moderator AS Moderator, a.action AS Action, a.target AS Target, a.details AS Details,
                   s.title AS SubmissionTitle
            FROM audit_log a
            LEFT JOIN submissions s ON a.target LIKE 'submission %' AND s.id = CAST(substr(a.target, 12) AS INTEGER)
            ORDER BY a.id DESC LIMIT @pageSize OFFSET @offset;
            """;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AuditEntry>(new CommandDefinition(sql, new { pageSize, offset = (Math.Max(page, 1) - 1) * pageSize }, cancellationToken: ct))).ToList();
    }

    /// <summary>"field: old → new" lines for each field that differs.</summary>
    public static string Changes(IEnumerable<(string Field, string? Old, string? New)> fields) =>
        string.Join('\n', fields.Where(f => (f.Old ?? "") != (f.New ?? "")).Select(f => $"{f.Field}: {Short(f.Old)} → {Short(f.New)}"));

    /// <summary>Longest value kept per side: a long intro's edit still reads as a word diff, and the log stays small.</summary>
    public const int MaxValue = 2_000;

    private static string Short(string? value) =>
        string.IsNullOrEmpty(value) ? "(empty)" : value.Length > MaxValue ? value[..MaxValue].ReplaceLineEndings(" ") + "…" : value.ReplaceLineEndings(" ");
}
