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
            SELECT id AS Id, at AS At, moderator AS Moderator, action AS Action, target AS Target, details AS Details
            FROM audit_log ORDER BY id DESC LIMIT @pageSize OFFSET @offset;
            """;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<AuditEntry>(new CommandDefinition(sql, new { pageSize, offset = (Math.Max(page, 1) - 1) * pageSize }, cancellationToken: ct))).ToList();
    }

    /// <summary>"field: old → new" lines for each field that differs.</summary>
    public static string Changes(IEnumerable<(string Field, string? Old, string? New)> fields) =>
        string.Join('\n', fields.Where(f => (f.Old ?? "") != (f.New ?? "")).Select(f => $"{f.Field}: {Short(f.Old)} → {Short(f.New)}"));

    private static string Short(string? value) =>
        string.IsNullOrEmpty(value) ? "(empty)" : value.Length > 200 ? value[..200].ReplaceLineEndings(" ") + "…" : value.ReplaceLineEndings(" ");
}
