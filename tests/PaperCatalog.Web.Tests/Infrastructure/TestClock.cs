namespace PaperCatalog.Web.Tests.Infrastructure;

/// <summary>The system clock moved on by <see cref="Advance"/>; timers (the sign-in slow-down) still run in real time.</summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
