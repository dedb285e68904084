using System.Globalization;
using Dapper;
using Microsoft.AspNetCore.Identity;
using PaperCatalog.Data;

namespace PaperCatalog.Moderation;

/// <summary>How a sign-in went.</summary>
public enum SignInOutcome { SignedIn, Invalid, Locked }

/// <summary>The result of a sign-in: the outcome, the moderator's name as stored, and when a lock ends.</summary>
public sealed record SignInResult(SignInOutcome Outcome, string? Name, DateTimeOffset? LockedUntil, int FailedCount);

/// <summary>
/// Moderator accounts. They are made only by the <c>catalog moderator</c> tool (there is no default account);
/// passwords are stored with ASP.NET Core's <see cref="PasswordHasher{TUser}"/>. Repeated failed sign-ins lock the
/// account for <see cref="LockFor"/>.
/// </summary>
public sealed class ModeratorAccounts(CatalogDatabase database, TimeProvider clock)
{
    public const int MinPasswordLength = 12;
    public int MaxFailures { get; init; } = 5;
    public TimeSpan LockFor { get; init; } = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>Adds a moderator (or sets a new password for an existing one); returns an error sentence or null.</summary>
    public async Task<string?> AddAsync(string name, string password, CancellationToken ct)
    {
        name = name.Trim();
        if (name.Length is 0 or > 60 || name.Any(char.IsControl)) return "A moderator's name must be 1 to 60 characters, without control characters.";
        if (password.Length < MinPasswordLength) return $"The password must be at least {MinPasswordLength} characters long.";
        const string sql = """
            INSERT INTO moderators (name, password_hash, created_at) VALUES (@name, @hash, @now)
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, failed_count = 0, locked_until = NULL;
            """;
        await database.MigrateAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(sql, new { name, hash = Hasher.HashPassword(name, password), now = Now() }, cancellationToken: ct));
        return null;
    }

    /// <summary>Removes a moderator; false when there was none of that name.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken ct)
    {
        await database.MigrateAsync(ct);
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("DELETE FROM moderators WHERE name = @name;", new { name = name.Trim() }, cancellationToken: ct)) > 0;
    }

    /// <summary>The moderators' names.</summary>
    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<string>(new CommandDefinition("SELECT name FROM moderators ORDER BY name;", cancellationToken: ct))).ToList();
    }

    /// <summary>True when the named moderator still exists (a removed moderator's cookie stops working).</summary>
    public async Task<bool> ExistsAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM moderators WHERE name = @name);", new { name }, cancellationToken: ct));
    }

    private sealed record Account
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public long FailedCount { get; init; }
        public string? LockedUntil { get; init; }
    }

    /// <summary>Checks a name and password. Unknown names and wrong passwords answer alike.</summary>
    public async Task<SignInResult> SignInAsync(string? name, string? password, CancellationToken ct)
    {
        const string selectSql = "SELECT id AS Id, name AS Name, password_hash AS PasswordHash, failed_count AS FailedCount, locked_until AS LockedUntil FROM moderators WHERE name = @name;";
        const string failSql = "UPDATE moderators SET failed_count = @count, locked_until = @until WHERE id = @id;";
        const string okSql = "UPDATE moderators SET failed_count = 0, locked_until = NULL WHERE id = @id;";
        name = (name ?? "").Trim();
        password ??= "";
        if (name.Length is 0 or > 60 || password.Length > 1024) return new SignInResult(SignInOutcome.Invalid, null, null, 0);
        await using var connection = await database.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var account = await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(selectSql, new { name }, tx, cancellationToken: ct));
        if (account is null)
        {
            // Spend the same time as a real check, so a name's existence does not show in the timing.
            Hasher.VerifyHashedPassword(name, DummyHash, password);
            return new SignInResult(SignInOutcome.Invalid, null, null, 0);
        }
        var now = clock.GetUtcNow();
        if (account.LockedUntil is not null && DateTimeOffset.Parse(account.LockedUntil, CultureInfo.InvariantCulture) > now)
            return new SignInResult(SignInOutcome.Locked, null, DateTimeOffset.Parse(account.LockedUntil, CultureInfo.InvariantCulture), (int)account.FailedCount);
        var verified = Hasher.VerifyHashedPassword(account.Name, account.PasswordHash, password);
        if (verified == PasswordVerificationResult.Failed)
        {
            var count = (int)account.FailedCount + 1;
            DateTimeOffset? until = count >= MaxFailures ? now + LockFor : null;
            await connection.ExecuteAsync(new CommandDefinition(failSql, new { count = until is null ? count : 0, until = until?.ToString("O", CultureInfo.InvariantCulture), id = account.Id }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return new SignInResult(until is null ? SignInOutcome.Invalid : SignInOutcome.Locked, null, until, count);
        }
        await connection.ExecuteAsync(new CommandDefinition(okSql, new { id = account.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return new SignInResult(SignInOutcome.SignedIn, account.Name, null, 0);
    }

    private static readonly string DummyHash = Hasher.HashPassword("nobody", Guid.NewGuid().ToString());

    private string Now() => Timestamps.Now(clock);
}
