using Dapper;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PaperCatalog.Data;
using PaperCatalog.Moderation;
using SignInOptions = PaperCatalog.Moderation.SignInOptions;
using SignInResult = PaperCatalog.Moderation.SignInResult;

namespace PaperCatalog.Tests.Moderation;

/// <summary>Sign-in on a real store: the same work for every name, lockouts by client, revocable sessions.</summary>
public sealed class ModeratorSignInTests : IDisposable
{
    private const string Moderator = "mira";
    private const string Password = "a long enough passphrase";

    private readonly TempFolder _folder = new();
    private readonly CatalogDatabase _db;
    private readonly MovableClock _clock = new();
    private readonly CountingHasher _hasher = new();
    private readonly ModeratorAccounts _accounts;
    private readonly ModeratorSignIn _signIn;

    public ModeratorSignInTests()
    {
        _db = new CatalogDatabase(_folder.File("catalog.db"));
        _accounts = new ModeratorAccounts(_db, _clock, _hasher);
        _signIn = new ModeratorSignIn(_db, _accounts, new AuditLog(_db, _clock), _clock,
            Options.Create(new SignInOptions { MaxFailures = 5, MaxClientFailures = 20, LockMinutes = 15, DelayMilliseconds = 1 }));
        Assert.Null(_accounts.AddAsync(Moderator, Password, CancellationToken.None).GetAwaiter().GetResult());
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task UnknownName_AndRealNameWithAWrongPassword_DoTheSameWork()
    {
        // Issue 10: an unknown name answered in 0.19 s, a real one in 0.38 s or more (only real names were delayed,
        // counted and written), and only real names were ever "locked".
        var unknown = new List<string>();
        var real = new List<string>();
        var hashes = new List<(int Unknown, int Real)>();
        for (var i = 0; i < 7; i++)
        {
            var before = _hasher.Verifications;
            unknown.Add(Describe(await _signIn.SignInAsync("192.0.2.1", "nobody-here", "guess " + i, CancellationToken.None)));
            var between = _hasher.Verifications;
            real.Add(Describe(await _signIn.SignInAsync("192.0.2.2", Moderator, "guess " + i, CancellationToken.None)));
            hashes.Add((between - before, _hasher.Verifications - between));
        }
        Assert.Equal(unknown, real);
        // One hash verification per attempt for both, none once the client is locked out.
        Assert.Equal([1, 1, 1, 1, 1, 0, 0], hashes.Select(h => h.Unknown));
        Assert.Equal(hashes.Select(h => h.Unknown), hashes.Select(h => h.Real));
        Assert.Equal(["Invalid 1ms", "Invalid 2ms", "Invalid 3ms", "Invalid 4ms", "Locked 5ms 900s", "Locked 0ms 900s", "Locked 0ms 900s"], real);

        // The same writes: counters in both scopes and the same audit entries (the unknown name itself is not kept).
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        var counters = (await connection.QueryAsync<(string Scope, long Failures)>("SELECT scope AS Scope, failures AS Failures FROM sign_in_failures;")).ToList();
        Assert.Equal(counters.Where(c => c.Scope.Contains("192.0.2.1", StringComparison.Ordinal)).Select(c => c.Failures).Order(),
                     counters.Where(c => c.Scope.Contains("192.0.2.2", StringComparison.Ordinal)).Select(c => c.Failures).Order());
        var audit = (await connection.QueryAsync<(string Moderator, string Action, string Target, string Details)>(
            "SELECT moderator AS Moderator, action AS Action, target AS Target, details AS Details FROM audit_log ORDER BY id;")).ToList();
        Assert.Equal(audit.Where(a => a.Target == "from 192.0.2.1").Select(a => (a.Action, a.Details)), audit.Where(a => a.Target == "from 192.0.2.2").Select(a => (a.Action, a.Details)));
        Assert.Equal(6, audit.Count(a => a.Target == "from 192.0.2.1"));
        Assert.DoesNotContain(audit, a => a.Moderator.Contains("nobody-here", StringComparison.Ordinal) || a.Details.Contains("guess", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LockedOutClient_DoesNotLockTheModeratorElsewhere()
    {
        for (var i = 0; i < 5; i++) await _signIn.SignInAsync("192.0.2.1", Moderator, "guess", CancellationToken.None);
        Assert.Equal(SignInOutcome.Locked, (await _signIn.SignInAsync("192.0.2.1", Moderator, Password, CancellationToken.None)).Outcome);
        var elsewhere = await _signIn.SignInAsync("198.51.100.7", Moderator, Password, CancellationToken.None);
        Assert.Equal(SignInOutcome.SignedIn, elsewhere.Outcome);
        Assert.Equal(Moderator, elsewhere.Session!.Moderator);
    }

    [Fact]
    public async Task LockEnds_AfterLockMinutes_AndTheCountStartsAgain()
    {
        for (var i = 0; i < 5; i++) await _signIn.SignInAsync("192.0.2.1", Moderator, "guess", CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(SignInOutcome.Locked, (await _signIn.SignInAsync("192.0.2.1", Moderator, "guess", CancellationToken.None)).Outcome);
        _clock.Advance(TimeSpan.FromMinutes(2));
        var again = await _signIn.SignInAsync("192.0.2.1", Moderator, "guess", CancellationToken.None);
        Assert.Equal("Invalid 1ms", Describe(again));
        Assert.Equal(SignInOutcome.SignedIn, (await _signIn.SignInAsync("192.0.2.1", Moderator, Password, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task RightPassword_ForgetsThatAddressesFailuresWithThatName()
    {
        for (var i = 0; i < 4; i++) await _signIn.SignInAsync("192.0.2.1", Moderator, "guess", CancellationToken.None);
        Assert.Equal(SignInOutcome.SignedIn, (await _signIn.SignInAsync("192.0.2.1", Moderator, Password, CancellationToken.None)).Outcome);
        Assert.Equal("Invalid 1ms", Describe(await _signIn.SignInAsync("192.0.2.1", Moderator, "guess", CancellationToken.None)));
    }

    [Fact]
    public async Task Sessions_EndAtTheirAbsoluteEnd_OnANewPassword_AndOnRemoval()
    {
        var sessions = new ModeratorSessions(_db, _clock);
        var first = (await _signIn.SignInAsync("192.0.2.1", Moderator, Password, CancellationToken.None)).Session!;
        Assert.Equal(Moderator, (await sessions.FindAsync(first.Id, CancellationToken.None))?.Moderator);
        _clock.Advance(TimeSpan.FromHours(12) + TimeSpan.FromSeconds(1));
        Assert.Null(await sessions.FindAsync(first.Id, CancellationToken.None));

        var second = (await _signIn.SignInAsync("192.0.2.1", Moderator, Password, CancellationToken.None)).Session!;
        Assert.Null(await _accounts.AddAsync(Moderator, "a brand new passphrase", CancellationToken.None));
        Assert.Null(await sessions.FindAsync(second.Id, CancellationToken.None));

        var third = (await _signIn.SignInAsync("192.0.2.1", Moderator, "a brand new passphrase", CancellationToken.None)).Session!;
        Assert.True(await _accounts.RemoveAsync(Moderator, CancellationToken.None));
        Assert.Null(await sessions.FindAsync(third.Id, CancellationToken.None));
    }

    [Fact]
    public async Task SessionCheck_OnEveryRequest_IsOneIndexedLookup()
    {
        await using var connection = await _db.OpenAsync(CancellationToken.None);
        var plan = (await connection.QueryAsync("EXPLAIN QUERY PLAN " + ModeratorSessions.FindSql, new { id = "x", now = "2026-01-01T00:00:00Z" }))
            .Select(row => (string)((IDictionary<string, object>)row)["detail"]).ToList();
        Assert.Equal(2, plan.Count);
        Assert.All(plan, step => Assert.StartsWith("SEARCH", step, StringComparison.Ordinal));
        Assert.All(plan, step => Assert.Contains("PRIMARY KEY", step, StringComparison.Ordinal));
    }

    private static string Describe(SignInResult r) =>
        r.Outcome == SignInOutcome.Locked
            ? $"{r.Outcome} {r.Delay.TotalMilliseconds:F0}ms {Math.Round(r.RetryAfter.TotalSeconds / 60) * 60:F0}s"
            : $"{r.Outcome} {r.Delay.TotalMilliseconds:F0}ms";

    /// <summary>The real password hasher, counting its verifications (the work a sign-in does, made visible).</summary>
    private sealed class CountingHasher : IPasswordHasher<string>
    {
        private readonly PasswordHasher<string> _inner = new();
        private int _verifications;

        public int Verifications => _verifications;

        public string HashPassword(string user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(string user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    /// <summary>The system clock moved on by <see cref="Advance"/>.</summary>
    private sealed class MovableClock : TimeProvider
    {
        private TimeSpan _offset;

        public void Advance(TimeSpan by) => _offset += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
    }
}
