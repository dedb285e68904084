namespace PaperCatalog.Moderation;

/// <summary>
/// Configuration section <c>SignIn</c>: how failed sign-ins slow down and then lock the client that makes them (never
/// the moderator's account), and how long a moderator's session lasts.
/// </summary>
public sealed class SignInOptions
{
    /// <summary>Failed sign-ins in a row from one address with one name before that address may not use that name for <see cref="LockMinutes"/>.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>Failed sign-ins from one address, whatever the names, before that address may not sign in at all for <see cref="LockMinutes"/>.</summary>
    public int MaxClientFailures { get; set; } = 20;

    /// <summary>How long a lock lasts; failures older than this are forgotten.</summary>
    public int LockMinutes { get; set; } = 15;

    /// <summary>Each failure in a row (from one address with one name) answers this much later than the last, up to five times it.</summary>
    public int DelayMilliseconds { get; set; } = 200;

    /// <summary>A session's absolute lifetime: however busy the moderator, it ends this long after signing in.</summary>
    public int SessionHours { get; set; } = 12;

    /// <summary>A session unused for this long ends; each use renews it, never past <see cref="SessionHours"/>.</summary>
    public int IdleMinutes { get; set; } = 60;
}
