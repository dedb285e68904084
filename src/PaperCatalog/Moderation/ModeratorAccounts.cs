using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;

namespace PaperCatalog.Moderation;

/// <summary>A name and password checked against the accounts: the account the name names (if any), and whether the password is its.</summary>
internal sealed record CheckedPassword(long? ModeratorId, string? Name, bool Matches);

/// <summary>
/// Moderator accounts. They are made only by the <c>catalog moderator</c> tool (there is no default account);
/// passwords are stored with ASP.NET Core's <see cref="PasswordHasher{TUser}"/>. A new password or a removal ends
/// every session of that moderator.
/// </summary>
public sealed class ModeratorAccounts(CatalogDatabase database, TimeProvider clock, IPasswordHasher<string>? hasher = null)
{
    public const int MinPasswordLength = 12;
    public const int MaxNameLength = 60;

    private readonly IPasswordHasher<string> _hasher = hasher ?? new PasswordHasher<string>();

    // Checked against when a name has no account, so that an unknown name costs the same hash as a real one.
    private static readonly string DummyHash = new PasswordHasher<string>().HashPassword("nobody", Guid.NewGuid().ToString());

    /// <summary>Adds a moderator, or sets a new password for an existing one (which ends their sessions); returns an error sentence or null.</summary>
    public async Task<string?> AddAsync(string name, string password, CancellationToken ct)
    {
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl)) return $"A moderator's name must be 1 to {MaxNameLength} characters, without control characters.";
        if (password.Length < MinPasswordLength) return $"The password must be at least {MinPasswordLength} characters long.";
        const string sql = """
            INSERT INTO moderators (name, password_hash, created_at) VALUES (@name, @hash, @now)
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash;
            """;
        await database.MigrateAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        // Whoever held the old password (or a cookie from it) is signed out everywhere.
        await ModeratorSessions.EndAllAsync(connection, tx, name, ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { name, hash = _hasher.HashPassword(name, password), now = Timestamps.Now(clock) }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return null;
    }

    /// <summary>Removes a moderator and ends their sessions; false when there was none of that name.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        await database.MigrateAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        await ModeratorSessions.EndAllAsync(connection, tx, name.Trim(), ct);
        var removed = await connection.ExecuteAsync(new CommandDefinition("DELETE FROM moderators WHERE name = @name;", new { name = name.Trim() }, tx, cancellationToken: ct)) > 0;
        await tx.CommitAsync(ct);
        return removed;
    }

    /// <summary>The moderators' names.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition("SELECT name FROM moderators ORDER BY name;", cancellationToken: ct))).ToList();
    }

    private sealed record Account
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string PasswordHash { get; init; } = "";
    }

    /// <summary>
    /// Checks a password with exactly one hash verification whether or not the name has an account, so neither the
    /// time taken nor the work done tells the two apart.
    /// </summary>
    internal async Task<CheckedPassword> CheckAsync(SqliteConnection connection, string name, string password, CancellationToken ct)
    {
        const string sql = "SELECT id AS Id, name AS Name, password_hash AS PasswordHash FROM moderators WHERE name = @name;";
        var account = await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(sql, new { name }, cancellationToken: ct));
        var verified = _hasher.VerifyHashedPassword(name, account?.PasswordHash ?? DummyHash, password);
        return new CheckedPassword(account?.Id, account?.Name, account is not null && verified != PasswordVerificationResult.Failed);
    }
}
