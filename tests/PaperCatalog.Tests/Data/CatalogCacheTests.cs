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
}
