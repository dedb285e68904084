using System.Diagnostics;
using PaperCatalog.Data;

namespace PaperCatalog.Tests.Data;

public sealed class CatalogCacheTests
{
    private static CancellationToken Ct => CancellationToken.None;

    /// <summary>A clock whose timestamps move only when told to.</summary>
    private sealed class StepClock : TimeProvider
    {
        private long _ticks = Stopwatch.GetTimestamp();
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, (long)(by.TotalSeconds * Stopwatch.Frequency));
        public override long GetTimestamp() => Interlocked.Read(ref _ticks);
    }

    [Fact]
    public async Task ExpiredEntries_AreSweptOut_WhileLongLivedOnesStay()
    {
        // Reproduction (issue 12): expired entries stayed until replaced, so a crawl of a 100,000-paper catalog kept
        // 20,000 paper pages in memory for good.
        var clock = new StepClock();
        var cache = new CatalogCache(clock);
        await cache.GetOrLoadAsync("index", TimeSpan.FromMinutes(10), _ => Task.FromResult<string?>("kept"), Ct);
        for (var i = 0; i < 500; i++) await cache.GetOrLoadAsync("paper:" + i, _ => Task.FromResult<string?>("page " + i), Ct);
        Assert.Equal(501, cache.Count);
        clock.Advance(TimeSpan.FromSeconds(30));
        await cache.GetOrLoadAsync("paper:new", _ => Task.FromResult<string?>("fresh"), Ct);
        Assert.Equal(2, cache.Count);
        // The long-lived entry is still served from memory, not loaded again.
        Assert.Equal("kept", await cache.GetOrLoadAsync("index", TimeSpan.FromMinutes(10), _ => Task.FromResult<string?>("loaded again"), Ct));
    }

    [Fact]
    public async Task AnEntryWithinItsLifetime_IsServedWithoutLoading_AndAWriteForgetsIt()
    {
        var clock = new StepClock();
        var cache = new CatalogCache(clock);
        var loads = 0;
        Task<string?> Load(CancellationToken _) { loads++; return Task.FromResult<string?>("value"); }
        await cache.GetOrLoadAsync("k", Load, Ct);
        clock.Advance(TimeSpan.FromSeconds(1));
        await cache.GetOrLoadAsync("k", Load, Ct);
        Assert.Equal(1, loads);
        cache.Invalidate();
        await cache.GetOrLoadAsync("k", Load, Ct);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task ReadersWhoMissTogether_ShareOneLoad_AndAFailedLoadIsTriedAgainByTheNext()
    {
        // Reproduction (issue 12): sixteen readers arriving at a cold 100,000-paper site each read the search facets
        // (~100 MB of rows), which held the first 20 s of a wrk run to 20 requests a second.
        var cache = new CatalogCache(new StepClock());
        var loads = 0;
        var release = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string?> Load(CancellationToken _) { Interlocked.Increment(ref loads); return release.Task; }
        var readers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => cache.GetOrLoadAsync("facets", Load, Ct))).ToList();
        await Task.Delay(200, Ct);
        release.SetResult("facets");
        Assert.All(await Task.WhenAll(readers), value => Assert.Equal("facets", value));
        Assert.Equal(1, loads);

        // A reader who gives up stops waiting; the load goes on for the others and is kept.
        var slow = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        var leaving = cache.GetOrLoadAsync("slow", _ => slow.Task, cancel.Token);
        var staying = cache.GetOrLoadAsync("slow", _ => Task.FromResult<string?>("second load"), Ct);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);
        slow.SetResult("first load");
        Assert.Equal("first load", await staying);
        Assert.Equal("first load", await cache.GetOrLoadAsync("slow", _ => Task.FromResult<string?>("third load"), Ct));

        // A load that fails fails for those waiting on it, and is not remembered: the next reader loads again.
        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrLoadAsync<string>("broken", _ => throw new InvalidOperationException("store gone"), Ct));
        Assert.Equal("mended", await cache.GetOrLoadAsync("broken", _ => Task.FromResult<string?>("mended"), Ct));
    }
}
