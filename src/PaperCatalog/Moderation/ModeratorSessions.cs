using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;

namespace PaperCatalog.Moderation;

/// <summary>A signed-in moderator's session: its id (in the cookie), whose it is, and its absolute end.</summary>
public sealed record ModeratorSession(string Id, string Moderator, DateTimeOffset ExpiresAt);

/// <summary>
/// Moderators' sessions, one row per signed-in browser. The cookie carries the id; every request looks it up (one
/// primary-key lookup), so ending a session (sign-out, a new password, a removal) stops its cookie at once.
/// </summary>
public sealed class ModeratorSessions(CatalogDatabase database, TimeProvider clock)
{
    /// <summary>The per-request check: a primary-key lookup of the session and of its moderator.</summary>
    internal const string FindSql = """
        SELECT s.id AS Id, m.name AS Moderator, s.expires_at AS ExpiresAt
        FROM moderator_sessions s JOIN moderators m ON m.id = s.moderator_id
        WHERE s.id = @id AND s.expires_at > @now;
        """;

    /// <summary>The live session with this id, or null (unknown, ended or past its absolute end).</summary>
    public async Task<ModeratorSession?> FindAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(FindSql, new { id, now = Timestamps.Now(clock) }, cancellationToken: ct));
        return row is null ? null : new ModeratorSession(row.Id, row.Moderator, Timestamps.Parse(row.ExpiresAt));
    }

    /// <summary>Ends one session (a sign-out); its cookie, wherever a copy of it is, stops working.</summary>
    public async Task EndAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM moderator_sessions WHERE id = @id;", new { id }, cancellationToken: ct));
    }

    /// <summary>Starts a session for a moderator whose password was just checked; expired sessions are swept on the way.</summary>
    internal static async Task<ModeratorSession> StartAsync(SqliteConnection connection, SqliteTransaction tx, long moderatorId, string moderator, string client,
        DateTimeOffset now, TimeSpan lifetime, CancellationToken ct)
    {
        const string sweepSql = "DELETE FROM moderator_sessions WHERE expires_at <= @now;";
        const string insertSql = "INSERT INTO moderator_sessions (id, moderator_id, client, created_at, expires_at) VALUES (@id, @moderatorId, @client, @now, @expires);";
        var session = new ModeratorSession(RandomNumberGenerator.GetHexString(32, lowercase: true), moderator, now + lifetime);
        await connection.ExecuteAsync(new CommandDefinition(sweepSql, new { now = Timestamps.Of(now) }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(insertSql, new
        {
            id = session.Id, moderatorId, client, now = Timestamps.Of(now), expires = Timestamps.Of(session.ExpiresAt),
        }, tx, cancellationToken: ct));
        return session;
    }

    /// <summary>Ends every session of the named moderator (a new password, a removal).</summary>
    internal static Task EndAllAsync(SqliteConnection connection, SqliteTransaction tx, string moderator, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition("DELETE FROM moderator_sessions WHERE moderator_id IN (SELECT id FROM moderators WHERE name = @moderator);",
            new { moderator }, tx, cancellationToken: ct));

    private sealed record Row
    {
        public string Id { get; init; } = "";
        public string Moderator { get; init; } = "";
        public string ExpiresAt { get; init; } = "";
    }
}
