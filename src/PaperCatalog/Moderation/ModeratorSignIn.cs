using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PaperCatalog.Data;

namespace PaperCatalog.Moderation;

/// <summary>How a sign-in went.</summary>
public enum SignInOutcome { SignedIn, Invalid, Locked }

/// <summary>
/// The result of a sign-in: the outcome, the session it started, how long the answer was held back (the slow-down), and,
/// when the client is locked out, how long until it may try again.
/// </summary>
public sealed record SignInResult(SignInOutcome Outcome, ModeratorSession? Session, TimeSpan Delay, TimeSpan RetryAfter);

/// <summary>
/// Signs moderators in. Failed attempts are counted per client address, and per address and name: each failure in a
/// row answers a little later, and too many lock that client (not the account) for a while, so the right password from
/// another address still works. A name with no account goes through exactly the same steps as a real name with a wrong
/// password (one hash verification, the same counters, the same delay, the same writes), so no answer tells them apart.
/// Failures and lockouts go to the audit log; the typed password never does, nor a typed name that has no account
/// (it may be a password typed into the wrong field).
/// </summary>
public sealed class ModeratorSignIn(CatalogDatabase database, ModeratorAccounts accounts, AuditLog audit, TimeProvider clock, IOptions<SignInOptions> options)
{
    public const int MaxPasswordLength = 1024;
    private const int MaxDelaySteps = 5;
    private const string UnknownName = "(unknown name)";

    private SignInOptions Options => options.Value;

    /// <summary>Checks <paramref name="name"/> and <paramref name="password"/> sent from <paramref name="client"/> (an address).</summary>
    public async Task<SignInResult> SignInAsync(string client, string? name, string? password, CancellationToken ct)
    {
        name = (name ?? "").Trim();
        password ??= "";
        // No account can have such a name or password: nothing to check, nothing to count, and nothing said about any name.
        if (name.Length is 0 or > ModeratorAccounts.MaxNameLength || password.Length > MaxPasswordLength)
            return new SignInResult(SignInOutcome.Invalid, null, TimeSpan.Zero, TimeSpan.Zero);

        var now = clock.GetUtcNow();
        var scopes = Scopes.For(client, name);
        await using var connection = await database.OpenAsync(ct);
        // A locked-out client is answered before any hashing: its attempts cost the site next to nothing.
        if (await LockedUntilAsync(connection, scopes, now, ct) is { } lockedUntil)
            return new SignInResult(SignInOutcome.Locked, null, TimeSpan.Zero, lockedUntil - now);

        var check = await accounts.CheckAsync(connection, name, password, ct);
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        if (check.Matches)
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM sign_in_failures WHERE scope = @scope;", new { scope = scopes.Name }, tx, cancellationToken: ct));
            var session = await ModeratorSessions.StartAsync(connection, tx, check.ModeratorId!.Value, check.Name!, client, now, TimeSpan.FromHours(Options.SessionHours), ct);
            await audit.WriteAsync(connection, tx, check.Name!, "sign-in", "moderation", "from " + client, ct);
            await tx.CommitAsync(ct);
            return new SignInResult(SignInOutcome.SignedIn, session, TimeSpan.Zero, TimeSpan.Zero);
        }

        var failure = await CountFailureAsync(connection, tx, scopes, now, ct);
        var who = check.Name ?? UnknownName;
        var target = "from " + client;
        await audit.WriteAsync(connection, tx, who, "sign-in-failed", target,
            string.Create(CultureInfo.InvariantCulture, $"failure {failure.NameFailures} in a row for this name from this address ({failure.ClientFailures} from it for any name)"), ct);
        if (failure.NewLock is { } lockout)
            await audit.WriteAsync(connection, tx, who, "sign-in-lockout", target, lockout, ct);
        await tx.CommitAsync(ct);

        // The same delay rule for every name: it depends only on this address's failures with this name.
        var delay = TimeSpan.FromMilliseconds((double)Options.DelayMilliseconds * Math.Min(failure.NameFailures, MaxDelaySteps));
        await Task.Delay(delay, clock, ct);
        return failure.LockedUntil is { } until
            ? new SignInResult(SignInOutcome.Locked, null, delay, until - now)
            : new SignInResult(SignInOutcome.Invalid, null, delay, TimeSpan.Zero);
    }

    /// <summary>Where failures are counted: the address (any name), and the address with this name (folded, hashed).</summary>
    private sealed record Scopes(string Client, string Name)
    {
        public static Scopes For(string client, string name) =>
            new("client " + client, "name " + client + " " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name.ToLowerInvariant()))));
    }

    private static async Task<DateTimeOffset?> LockedUntilAsync(SqliteConnection connection, Scopes scopes, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = "SELECT max(locked_until) FROM sign_in_failures WHERE scope IN (@client, @name) AND locked_until > @now;";
        var until = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(sql, new { client = scopes.Client, name = scopes.Name, now = Timestamps.Of(now) }, cancellationToken: ct));
        return until is null ? null : Timestamps.Parse(until);
    }

    private sealed record Failure(int NameFailures, int ClientFailures, DateTimeOffset? LockedUntil, string? NewLock);

    private sealed record Counted
    {
        public long Failures { get; init; }
        public string? LockedUntil { get; init; }
    }

    /// <summary>Counts one failure in both scopes; a scope that reaches its limit is locked. Old runs of failures are swept.</summary>
    private async Task<Failure> CountFailureAsync(SqliteConnection connection, SqliteTransaction tx, Scopes scopes, DateTimeOffset now, CancellationToken ct)
    {
        // In DO UPDATE every expression reads the row as it was, so the CASE that restarts an old run is repeated.
        const string countSql = """
            INSERT INTO sign_in_failures (scope, failures, first_at, locked_until) VALUES (@scope, 1, @now, CASE WHEN @limit <= 1 THEN @until END)
            ON CONFLICT (scope) DO UPDATE SET
                failures = CASE WHEN first_at < @since THEN 1 ELSE failures + 1 END,
                first_at = CASE WHEN first_at < @since THEN @now ELSE first_at END,
                locked_until = CASE WHEN (CASE WHEN first_at < @since THEN 1 ELSE failures + 1 END) >= @limit THEN @until ELSE locked_until END
            RETURNING failures AS Failures, locked_until AS LockedUntil;
            """;
        const string sweepSql = "DELETE FROM sign_in_failures WHERE first_at < @since AND (locked_until IS NULL OR locked_until <= @now);";
        var lockFor = TimeSpan.FromMinutes(Options.LockMinutes);
        var until = Timestamps.Of(now + lockFor);
        var stamps = new { now = Timestamps.Of(now), since = Timestamps.Of(now - lockFor), until };
        await connection.ExecuteAsync(new CommandDefinition(sweepSql, stamps, tx, cancellationToken: ct));
        var name = await connection.QuerySingleAsync<Counted>(new CommandDefinition(countSql, new { scope = scopes.Name, limit = Options.MaxFailures, stamps.now, stamps.since, until }, tx, cancellationToken: ct));
        var any = await connection.QuerySingleAsync<Counted>(new CommandDefinition(countSql, new { scope = scopes.Client, limit = Options.MaxClientFailures, stamps.now, stamps.since, until }, tx, cancellationToken: ct));

        var at = (now + lockFor).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
        var newLock = any.LockedUntil == until && any.Failures == Options.MaxClientFailures
            ? $"this address may not sign in under any name until {at} UTC ({any.Failures} failed sign-ins from it)"
            : name.LockedUntil == until && name.Failures == Options.MaxFailures
                ? $"this address may not sign in with this name until {at} UTC ({name.Failures} failed sign-ins in a row)"
                : null;
        var lockedUntil = new[] { name.LockedUntil, any.LockedUntil }.Where(u => u is not null && string.CompareOrdinal(u, stamps.now) > 0).Max();
        return new Failure((int)name.Failures, (int)any.Failures, lockedUntil is null ? null : Timestamps.Parse(lockedUntil), newLock);
    }
}
