using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Papers;
using PaperCatalog.Topics;

namespace PaperCatalog.Search;

/// <summary>Full-text search over the catalog: ranked hits, facet counts and spelling suggestions.</summary>
public sealed class SearchQueries(CatalogDatabase database, CatalogCache cache, TopicQueries topics)
{
    /// <summary>
    /// Recent answers, so paging, filter changes that come back and popular queries are not ranked again. Bounded by
    /// count (hostile queries cannot grow it), kept 5 s, and keyed by the catalog's version so a write forgets them.
    /// </summary>
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 2_000 });

    /// <summary>
    /// The papers each query part matches (<see cref="MatchSet"/>), in the full index and in the heading index, so a
    /// common word is read from the index once and every query with it counts and facets from bits. Bounded by bytes
    /// (32 MiB: some 2,500 words at 100k papers), keyed by the catalog's version so a write forgets them.
    /// </summary>
    private readonly MemoryCache _sets = new(new MemoryCacheOptions { SizeLimit = 32L << 20 });

    /// <summary>Filters shared by every query (and hybrid search's candidates); @topic, @from, @to and @venue are null when not asked for.</summary>
    internal const string Filters = """
          AND (@topic IS NULL OR t.slug = @topic)
          AND (@from IS NULL OR p.published >= @from)
          AND (@to IS NULL OR p.published < @to)
          AND (@venue IS NULL OR rtrim(p.venue, '0123456789 ') = @venue)
        """;

    /// <summary>What <see cref="IncludingAsync"/>, <see cref="Keeps"/> and <see cref="Matches"/> need of a ranked query.</summary>
    internal sealed record KeywordState(MatchSet Matched, List<FacetGroup> Groups, PaperFacets Facets, Func<int, bool>? Keep);

    internal sealed record FacetGroup
    {
        public string Topic { get; init; } = "";
        public string? Year { get; init; }
        public string? Venue { get; init; }
        public long Count { get; init; }
    }

    /// <summary>Runs a search; a query with nothing searchable in it gives no hits (and no error).</summary>
    public Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken ct) => SearchAsync(request, withHits: true, ct);

    private async Task<SearchResults> SearchAsync(SearchRequest request, bool withHits, CancellationToken ct)
    {
        var results = await SearchAsTypedAsync(request, withHits, ct);
        // One clear correction of a query that finds nothing (the only one, or nearer than the next): its results at once,
        // with a way back to what was typed.
        var s = results.Suggestions;
        var clear = s.Count == 1 || s.Count > 1 && s[0].Distance < s.Skip(1).Min(x => x.Distance);
        if (results.Total == 0 && clear && !results.Request.Exact && results.Page == 1)
        {
            var corrected = await SearchAsTypedAsync(results.Request with { Q = results.Suggestions[0].Query, Exact = true }, withHits, ct);
            if (corrected.Total > 0) return corrected with { CorrectedFrom = results.Query.Text };
        }
        return results;
    }

    /// <summary>
    /// The keyword half of a hybrid search: what <see cref="SearchAsync(SearchRequest, CancellationToken)"/> answers
    /// (correction included) but without hits, and the ids of its ranking's first <paramref name="window"/> papers, so
    /// another ranking can be fused with it before any snippet is cut (<see cref="HitsAsync(SearchQuery, IReadOnlyList{long}, CancellationToken)"/>
    /// then cuts them for the page shown).
    /// </summary>
    internal async Task<KeywordRanking> RankAsync(SearchRequest request, int window, CancellationToken ct)
    {
        var results = await SearchAsync(request with { Page = 1, PageSize = Math.Clamp(window, 1, SearchRequest.MaxPageSize) }, withHits: false, ct);
        if (results.Query.Match is null) return new KeywordRanking(results, [], null);
        var facets = (await cache.GetOrLoadAsync("search:facets", TimeSpan.FromMinutes(10), LoadFacetsAsync, ct))!;
        await using var connection = await database.OpenAsync(ct);
        var ids = results.Total == 0 ? [] : await RankedIdsAsync(connection, results.Query, results.Request, facets, 0, window, ct);
        return new KeywordRanking(results, ids, new KeywordState(Matched(connection, "paper_search", results.Query.Parts, facets), Groups(connection, results.Query, facets), facets, Keep(results.Request, facets)));
    }

    /// <summary>Ids of the keyword ranking from <paramref name="offset"/> (0-based) on, for pages past a fused window.</summary>
    internal async Task<IReadOnlyList<long>> RankedIdsAsync(KeywordRanking ranking, long offset, int count, CancellationToken ct)
    {
        if (ranking.State is null || count <= 0 || offset >= ranking.Results.Total) return [];
        await using var connection = await database.OpenAsync(ct);
        return await RankedIdsAsync(connection, ranking.Results.Query, ranking.Results.Request, ranking.State.Facets, offset, count, ct);
    }

    /// <summary>
    /// <paramref name="ranking"/>'s results with <paramref name="extra"/> (papers another ranking adds, by id) among them:
    /// those the keywords did not match and the filters keep are added to the total, and to each facet by the same rule
    /// as keyword matches (each facet with the other filters applied), so the counts describe the list shown.
    /// </summary>
    internal async Task<SearchResults> IncludingAsync(KeywordRanking ranking, IEnumerable<long> extra, CancellationToken ct)
    {
        if (ranking.State is not { } state) return ranking.Results;
        var added = extra.Where(id => id >= 0 && id < state.Facets.Topic.Length && !state.Matched.Contains((int)id)).Select(id => (int)id).Distinct().ToList();
        if (added.Count == 0) return ranking.Results;
        var facets = Facets(ranking.Results.Request, ranking.Results.Query, [.. state.Groups, .. FacetGroups(added, state.Facets)], await topics.ListAsync(ct));
        return ranking.Results with { Total = facets.Total, Topics = facets.Topics, Years = facets.Years, Venues = facets.Venues };
    }

    /// <summary>Whether the request's filters keep paper <paramref name="id"/> (what the SQL filters would say).</summary>
    internal static bool Keeps(KeywordRanking ranking, long id) =>
        ranking.State is { } s && id >= 0 && id < s.Facets.Topic.Length && s.Facets.Topic[id] >= 0 && (s.Keep is null || s.Keep((int)id));

    /// <summary>Whether the keywords match paper <paramref name="id"/>.</summary>
    internal static bool Matches(KeywordRanking ranking, long id) =>
        ranking.State is { } s && id >= 0 && id < s.Matched.Capacity && s.Matched.Contains((int)id);

    private async Task<SearchResults> SearchAsTypedAsync(SearchRequest request, bool withHits, CancellationToken ct)
    {
        var camelWords = await cache.GetOrLoadAsync("search:camel", TimeSpan.FromMinutes(10), LoadCamelWordsAsync, ct);
        var query = SearchQuery.Parse(request.Q, camelWords);
        request = request with
        {
            Page = Math.Clamp(request.Page, 1, 10_000),
            PageSize = Math.Clamp(request.PageSize, 1, SearchRequest.MaxPageSize),
            From = request.From is { } f ? Math.Clamp(f, PaperDates.FirstYear, PaperDates.LastYear) : null,
            To = request.To is { } t ? Math.Clamp(t, PaperDates.FirstYear, PaperDates.LastYear) : null,
        };
        if (query.Match is null) return new SearchResults { Request = request, Query = query };

        var key = string.Join('\u001f', cache.Version, query.Match, query.NamePhrase, request.Topic, request.From, request.To, request.Venue, request.Sort, request.Page, request.PageSize, withHits);
        if (_recent.TryGetValue(key, out SearchResults? known) && known is not null) return known with { Query = query, Request = request };
        var fresh = await RunAsync(query, request, withHits, ct);
        _recent.Set(key, fresh, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(5) });
        return fresh;
    }

    private async Task<SearchResults> RunAsync(SearchQuery query, SearchRequest request, bool withHits, CancellationToken ct)
    {
        Asked(query);
        var facets = (await cache.GetOrLoadAsync("search:facets", TimeSpan.FromMinutes(10), LoadFacetsAsync, ct))!;
        await using var connection = await database.OpenAsync(ct);

        // The parts' match sets, AND-ed, give the total and every facet's counts without another pass over the index.
        var groups = Groups(connection, query, facets);
        var topicList = await topics.ListAsync(ct);
        var results = Facets(request, query, groups, topicList);

        if (withHits && results.Total > 0 && (long)(request.Page - 1) * request.PageSize < results.Total)
            results = results with { Hits = await HitsAsync(connection, query, await RankedIdsAsync(connection, query, request, facets, (long)(request.Page - 1) * request.PageSize, request.PageSize, ct), ct) };
        if (results.Total < 3 && request.Page == 1)
            results = results with { Suggestions = await SuggestAsync(connection, query, request, ct) };
        return results;
    }

    private async Task<IReadOnlyDictionary<string, string>?> LoadCamelWordsAsync(CancellationToken ct)
    {
        const string sql = "SELECT aliases FROM search_documents WHERE aliases <> '';";
        await using var connection = await database.OpenAsync(ct);
        return SearchText.CamelWords(await connection.QueryAsync<string>(new CommandDefinition(sql, cancellationToken: ct)));
    }

    /// <summary>How many of the most asked queries are read again after a write (their match sets and heading tiers).</summary>
    internal const int WarmedAfterWrite = 32;

    /// <summary>Queries ranked since start (at most this many kept), each with how often: what to read ahead after a write.</summary>
    private const int AskedKept = 1_024;

    private sealed class AskedQuery(SearchQuery query)
    {
        public SearchQuery Query { get; } = query;
        public int Count;
    }

    private readonly ConcurrentDictionary<(string Match, string? Name), AskedQuery> _asked = new();
    private readonly Lock _warmLock = new();
    private Task _warming = Task.CompletedTask;
    private long _warmedVersion = -1;
    private int _listening;

    /// <summary>
    /// The read-ahead after the latest write (completed when none is under way), for tests: a write forgets every match
    /// set, and the first search of a common word after it read some 40,000 rowids and ranked its heading tier (at 100k
    /// papers 100–300 ms, and every reader of that word waited). After each write the most asked queries' sets and
    /// tiers, and the spelling vocabulary, are read again in the background, so readers find them in memory.
    /// </summary>
    internal Task Warming
    {
        get { lock (_warmLock) return _warming; }
    }

    private void Asked(SearchQuery query)
    {
        // Listening starts with the first search: a SearchQueries nobody searches with reads nothing ahead.
        if (Interlocked.Exchange(ref _listening, 1) == 0) cache.Invalidated += AfterWrite;
        var key = (query.Match!, query.NamePhrase);
        if (!_asked.TryGetValue(key, out var asked))
        {
            if (_asked.Count >= AskedKept) return;
            asked = _asked.GetOrAdd(key, _ => new AskedQuery(query));
        }
        Interlocked.Increment(ref asked.Count);
    }

    // Writes come in bursts (an import, then the vectors it changed): each queues a read-ahead behind the last, and one
    // that finds its version already read (or replaced by a newer write) does nothing.
    private void AfterWrite()
    {
        lock (_warmLock) _warming = _warming.ContinueWith(_ => WarmAsync(CancellationToken.None), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
    }

    private async Task WarmAsync(CancellationToken ct)
    {
        // A short pause lets a burst of writes end before anything is read.
        await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        var version = cache.Version;
        if (version == Interlocked.Read(ref _warmedVersion)) return;
        try
        {
            var facets = (await cache.GetOrLoadAsync("search:facets", TimeSpan.FromMinutes(10), LoadFacetsAsync, ct))!;
            await cache.GetOrLoadAsync("search:vocabulary", TimeSpan.FromMinutes(10), LoadVocabularyAsync, ct);
            var sizes = await HeadingSizesAsync(ct);
            await using var connection = await database.OpenAsync(ct);
            foreach (var asked in _asked.Values.OrderByDescending(a => Volatile.Read(ref a.Count)).Take(WarmedAfterWrite).ToList())
            {
                // Another write since this one started: its own read-ahead (queued behind) reads its version.
                if (cache.Version != version) return;
                Groups(connection, asked.Query, facets);
                Tier0(connection, asked.Query, facets, sizes);
            }
            Interlocked.Exchange(ref _warmedVersion, version);
        }
        catch (Exception e) when (e is SqliteException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Reading ahead is only a guess: a store that is busy, replaced or gone is read by the next search as before.
        }
    }

    /// <summary>Whether <paramref name="query"/>'s match sets and heading tier are held for the catalog as it is now.</summary>
    internal bool IsWarm(SearchQuery query)
    {
        var facets = cache.Peek<PaperFacets>("search:facets");
        return facets is not null && query.Match is not null
               && query.Parts.All(part => _sets.TryGetValue((cache.Version, facets.Topic.Length, "paper_search", part), out MatchSet? _))
               && _sets.TryGetValue((cache.Version, facets.Topic.Length, "tier0", query.Match, query.NamePhrase), out HeadingTier? _);
    }

    /// <summary>Each paper's topic, year and venue series, by id, so facets need no join over every match.</summary>
    internal sealed class PaperFacets
    {
        public required int[] Topic { get; init; }
        public required int[] Year { get; init; }
        public required int[] Venue { get; init; }
        public required string[] TopicSlugs { get; init; }
        public required string[] Years { get; init; }
        public required string[] Venues { get; init; }
        /// <summary>Every paper id newest first (unknown dates last), and each position's run of equal dates.</summary>
        public required SortOrder ByDate { get; init; }
        /// <summary>Every paper id most cited first (unknown counts last), and each position's run of equal counts.</summary>
        public required SortOrder ByCitations { get; init; }
    }

    /// <summary>Paper ids in a sort's order; <c>Run[i]</c> changes exactly where the sort key changes.</summary>
    internal sealed record SortOrder(int[] Ids, int[] Run)
    {
        public static SortOrder Of<TKey>(IEnumerable<(int Id, TKey Key)> rows, IComparer<TKey> keyOrder)
        {
            var sorted = rows.OrderBy(r => r.Key, keyOrder).ThenBy(r => r.Id).ToArray();
            var run = new int[sorted.Length];
            for (var i = 1; i < sorted.Length; i++) run[i] = run[i - 1] + (keyOrder.Compare(sorted[i].Key, sorted[i - 1].Key) == 0 ? 0 : 1);
            return new SortOrder(sorted.Select(r => r.Id).ToArray(), run);
        }
    }

    private sealed record FacetRow
    {
        public long Id { get; init; }
        public string Topic { get; init; } = "";
        public string? Year { get; init; }
        public string? Venue { get; init; }
        public string? Published { get; init; }
        public long? Citations { get; init; }
    }

    private async Task<PaperFacets?> LoadFacetsAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT p.id AS Id, t.slug AS Topic, substr(p.published, 1, 4) AS Year, nullif(rtrim(p.venue, '0123456789 '), '') AS Venue,
              p.published AS Published, p.citations AS Citations
            FROM papers p JOIN topics t ON t.id = p.topic_id;
            """;
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<FacetRow>(new CommandDefinition(sql, cancellationToken: ct))).ToList();
        var size = rows.Count == 0 ? 1 : (int)rows.Max(r => r.Id) + 1;
        var topicIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var yearIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var venueIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        static int Index(Dictionary<string, int> index, string? value) =>
            value is null ? -1 : index.TryGetValue(value, out var i) ? i : index[value] = index.Count;
        var topic = Enumerable.Repeat(-1, size).ToArray();
        var year = new int[size];
        var venue = new int[size];
        foreach (var r in rows)
        {
            topic[r.Id] = Index(topicIndex, r.Topic);
            year[r.Id] = Index(yearIndex, r.Year);
            venue[r.Id] = Index(venueIndex, r.Venue);
        }
        static string[] Names(Dictionary<string, int> index) => index.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToArray();
        // Newest (most cited) first, unknown last: the order of the SQL sorts "x IS NULL, x DESC".
        var byDate = SortOrder.Of(rows.Select(r => ((int)r.Id, r.Published)), Comparer<string?>.Create((a, b) =>
            a is null || b is null ? (a is null).CompareTo(b is null) : string.CompareOrdinal(b, a)));
        var byCitations = SortOrder.Of(rows.Select(r => ((int)r.Id, r.Citations)), Comparer<long?>.Create((a, b) =>
            a is null || b is null ? (a is null).CompareTo(b is null) : b.Value.CompareTo(a.Value)));
        return new PaperFacets
        {
            Topic = topic, Year = year, Venue = venue, TopicSlugs = Names(topicIndex), Years = Names(yearIndex), Venues = Names(venueIndex),
            ByDate = byDate, ByCitations = byCitations,
        };
    }

    /// <summary>The papers matching every part in <paramref name="table"/>, each part's set read once per catalog version.</summary>
    private MatchSet Matched(SqliteConnection connection, string table, IEnumerable<string> parts, PaperFacets facets)
    {
        MatchSet? all = null;
        foreach (var part in parts)
        {
            var set = Set(connection, table, part, facets);
            all = all is null ? set : all.And(set);
        }
        return all ?? throw new InvalidOperationException("A query with a match has at least one part.");
    }

    private MatchSet Set(SqliteConnection connection, string table, string match, PaperFacets facets)
    {
        var key = (cache.Version, facets.Topic.Length, table, match);
        if (_sets.TryGetValue(key, out MatchSet? known) && known is not null) return known;
        var set = (table == "paper_search" ? PrefixSet(connection, match, facets) : null) ?? MatchSet.Read(connection, table, match, facets.Topic.Length);
        _sets.Set(key, set, new MemoryCacheEntryOptions { Size = set.Bytes, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return set;
    }

    /// <summary>Most terms a prefix is read as, one set each; a shorter prefix of many rare words is read whole.</summary>
    private const int PrefixTermsRead = 32;

    /// <summary>
    /// A prefix's matches in the full index as the union of its terms' sets, each read once per catalog version and shared
    /// by every prefix of the word and the word itself ("lat", "late", "latency" all hold the term "latenc"): the full
    /// index has no prefix index (migration 0020), so a prefix read whole merges every term's list with its positions.
    /// Null when the part is not a one-term prefix, has too many terms, or a term would not match itself as a word (its
    /// stem is another term), so the index reads it as before.
    /// </summary>
    private MatchSet? PrefixSet(SqliteConnection connection, string match, PaperFacets facets)
    {
        if (HeadingScores.Term(match) is not (var prefix, true)) return null;
        const string termsSql = "SELECT term FROM temp.search_terms WHERE term >= $term AND term < $next LIMIT $limit;";
        var terms = new List<string>();
        HeadingScores.EnsureVocabulary(connection, "search_terms", "paper_search", "row");
        using (var command = connection.CreateCommand())
        {
            command.CommandText = termsSql;
            command.Parameters.AddWithValue("$term", prefix);
            command.Parameters.AddWithValue("$next", HeadingScores.PrefixEnd(prefix));
            command.Parameters.AddWithValue("$limit", PrefixTermsRead + 1);
            using var reader = command.ExecuteReader();
            while (reader.Read()) terms.Add(reader.GetString(0));
        }
        if (terms.Count is 0 or > PrefixTermsRead || terms.Any(t => !HeadingScores.IsAsciiTerm(t) || PorterStemmer.Stem(t) != t)) return null;
        MatchSet? all = null;
        foreach (var term in terms)
        {
            var set = Set(connection, "paper_search", "\"" + term + "\"", facets);
            all = all is null ? set : all.Or(set);
        }
        return all;
    }

    private HeadingTier Tier0(SqliteConnection connection, SearchQuery query, PaperFacets facets, HeadingSizes? sizes)
    {
        var key = TierKey(query, facets);
        if (_sets.TryGetValue(key, out HeadingTier? known) && known is not null) return known;
        // One word: scored here from its instances (HeadingScores), a fifth of what FTS5's bm25() costs a row.
        // Several words: from each word's tier when all are held, since every query with that word shares it (a new
        // pair of common words would otherwise rank thousands of heading rows again). When one is not, scoring each
        // word's whole tier costs more than the pair's own few rows, so the pair is read from the index and the words'
        // tiers are read in the background (scored here when each is one term) for the next query that has them.
        HeadingTier? tier = null;
        if (query.Parts.Count == 1 && query.NamePhrase is null)
            tier = sizes is null ? null : HeadingScores.Rank(connection, query.Match!, sizes);
        else if (query.Parts.Count > 1)
        {
            var parts = query.Parts.Select(part => query with { Match = part, Parts = [part], NamePhrase = null }).ToList();
            var tiers = parts.Select(part => Held(TierKey(part, facets))).ToList();
            var name = query.NamePhrase is null ? null : Held((cache.Version, facets.Topic.Length, "name", query.NamePhrase, null));
            if (tiers.All(t => t is not null) && (query.NamePhrase is null || name is not null))
            {
                var unsorted = tiers.Select(t => !t!.HasById).ToList();
                tier = SearchRanking.Compose(query.Parts, tiers!, name);
                // A word's tier composed for the first time now holds its id-ordered copy too: counted from now on.
                for (var i = 0; i < parts.Count; i++)
                    if (unsorted[i]) _sets.Set(TierKey(parts[i], facets), tiers[i]!, new MemoryCacheEntryOptions { Size = tiers[i]!.Bytes, SlidingExpiration = TimeSpan.FromMinutes(10) });
            }
            else if (!query.Parts.Any(p => p.Contains(" OR ", StringComparison.Ordinal)) && Interlocked.Exchange(ref _readingTiers, 1) == 0)
                _ = Task.Run(() => ReadTiersAheadAsync(parts, query.NamePhrase, facets));
        }
        tier ??= SearchRanking.ReadHeadingTier(connection, query);
        _sets.Set(key, tier, new MemoryCacheEntryOptions { Size = tier.Bytes, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return tier;
    }

    private async Task<HeadingSizes?> LoadHeadingSizesAsync(CancellationToken ct)
    {
        var facets = (await cache.GetOrLoadAsync("search:facets", TimeSpan.FromMinutes(10), LoadFacetsAsync, ct))!;
        await using var connection = await database.OpenAsync(ct);
        return HeadingSizes.Read(connection, facets.Topic.Length);
    }

    private Task<HeadingSizes?> HeadingSizesAsync(CancellationToken ct) => cache.GetOrLoadAsync("search:heading-sizes", TimeSpan.FromMinutes(10), LoadHeadingSizesAsync, ct);

    private (long, int, string, string?, string?) TierKey(SearchQuery query, PaperFacets facets) => (cache.Version, facets.Topic.Length, "tier0", query.Match, query.NamePhrase);

    private HeadingTier? Held((long, int, string, string?, string?) key) => _sets.TryGetValue(key, out HeadingTier? held) ? held : null;

    private int _readingTiers;

    // One at a time: a burst of new pairs reads each word's tier once, not once per pair.
    private async Task ReadTiersAheadAsync(List<SearchQuery> parts, string? namePhrase, PaperFacets facets)
    {
        try
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);
            var sizes = await HeadingSizesAsync(CancellationToken.None);
            foreach (var part in parts) Tier0(connection, part, facets, sizes);
            if (namePhrase is not null) NameTier(connection, namePhrase, facets);
        }
        catch (Exception e) when (e is SqliteException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Only read ahead: the next query reads from the index as before.
        }
        finally
        {
            Volatile.Write(ref _readingTiers, 0);
        }
    }

    private HeadingTier NameTier(SqliteConnection connection, string namePhrase, PaperFacets facets)
    {
        var key = (cache.Version, facets.Topic.Length, "name", namePhrase, (string?)null);
        if (_sets.TryGetValue(key, out HeadingTier? known) && known is not null) return known;
        var tier = SearchRanking.ReadNameTier(connection, namePhrase);
        _sets.Set(key, tier, new MemoryCacheEntryOptions { Size = tier.Bytes, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return tier;
    }

    /// <summary>
    /// The matches counted by (topic, year, venue), from which the total and every facet follow; kept per query beside
    /// its match sets, since every page and filter of a query has the same groups.
    /// </summary>
    private List<FacetGroup> Groups(SqliteConnection connection, SearchQuery query, PaperFacets facets)
    {
        var key = (cache.Version, facets.Topic.Length, "groups", query.Match);
        if (_sets.TryGetValue(key, out List<FacetGroup>? known) && known is not null) return known;
        var groups = FacetGroups(Matched(connection, "paper_search", query.Parts, facets).Ids(), facets);
        _sets.Set(key, groups, new MemoryCacheEntryOptions { Size = 64 + groups.Count * 64L, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return groups;
    }

    private static List<FacetGroup> FacetGroups(IEnumerable<int> matched, PaperFacets facets)
    {
        // One counter per (topic, year or none, venue or none), keyed by one int: cheaper to hash than a tuple.
        int years = facets.Years.Length + 1, venues = facets.Venues.Length + 1;
        var counts = new Dictionary<int, long>();
        foreach (var id in matched)
        {
            // A paper written by another process since the facets were read is counted at the next reload.
            if (facets.Topic[id] < 0) continue;
            var key = (facets.Topic[id] * years + facets.Year[id] + 1) * venues + facets.Venue[id] + 1;
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts.Select(kv =>
        {
            int venue = kv.Key % venues - 1, year = kv.Key / venues % years - 1, topic = kv.Key / venues / years;
            return new FacetGroup
            {
                Topic = facets.TopicSlugs[topic],
                Year = year < 0 ? null : facets.Years[year],
                Venue = venue < 0 ? null : facets.Venues[venue],
                Count = kv.Value,
            };
        }).ToList();
    }

    /// <summary>
    /// The request's filters as a test of a paper id (the same rule as <see cref="Filters"/>, on the facets' arrays), or
    /// null without filters. A paper written since the facets were read is kept out until they are read again.
    /// </summary>
    private static Func<int, bool>? Keep(SearchRequest request, PaperFacets facets)
    {
        if (!HasFilters(request)) return null;
        var topic = string.IsNullOrWhiteSpace(request.Topic) ? -1 : Array.IndexOf(facets.TopicSlugs, request.Topic);
        var venue = string.IsNullOrWhiteSpace(request.Venue) ? -1 : Array.IndexOf(facets.Venues, request.Venue);
        if (!string.IsNullOrWhiteSpace(request.Topic) && topic < 0 || !string.IsNullOrWhiteSpace(request.Venue) && venue < 0) return _ => false;
        var from = request.From?.ToString(CultureInfo.InvariantCulture);
        var to = request.To?.ToString(CultureInfo.InvariantCulture);
        var yearOk = facets.Years.Select(y => (from is null || string.CompareOrdinal(y, from) >= 0) && (to is null || string.CompareOrdinal(y, to) <= 0)).ToArray();
        var noYearOk = from is null && to is null;
        return id => id < facets.Topic.Length && facets.Topic[id] >= 0
                     && (topic < 0 || facets.Topic[id] == topic) && (venue < 0 || facets.Venue[id] == venue)
                     && (facets.Year[id] < 0 ? noYearOk : yearOk[facets.Year[id]]);
    }

    private static DynamicParameters Arguments(string match, SearchRequest request)
    {
        var args = new DynamicParameters();
        args.Add("match", match);
        args.Add("topic", string.IsNullOrWhiteSpace(request.Topic) ? null : request.Topic);
        args.Add("from", request.From?.ToString(CultureInfo.InvariantCulture));
        args.Add("to", request.To is { } to ? (to + 1).ToString(CultureInfo.InvariantCulture) : null);
        args.Add("venue", string.IsNullOrWhiteSpace(request.Venue) ? null : request.Venue);
        args.Add("limit", request.PageSize);
        args.Add("offset", (request.Page - 1) * request.PageSize);
        return args;
    }

    // The row columns come from PaperFields (constants, never input), so this is built once rather than a const. A row
    // by primary key and its indexed text, never the full-text index: titles are marked and snippets cut in C#
    // (SearchMarks), for the page's rows only.
    private static readonly string HitsSql = "SELECT " + PaperQueries.RowColumns + """
        , p.id AS Id, d.title AS IndexedTitle, d.intro AS IndexedIntro
        FROM papers p JOIN topics t ON t.id = p.topic_id JOIN search_documents d ON d.paper_id = p.id
        WHERE p.id IN @ids;
        """;

    /// <summary>The ranking's papers <paramref name="offset"/>..+<paramref name="limit"/>, by relevance or by the sort asked for.</summary>
    private async Task<IReadOnlyList<long>> RankedIdsAsync(SqliteConnection connection, SearchQuery query, SearchRequest request, PaperFacets facets, long offset, int limit, CancellationToken ct)
    {
        var tier0 = Tier0(connection, query, facets, await HeadingSizesAsync(ct));
        if (request.Sort != SearchSort.Relevance)
            return SortedIds(request.Sort == SearchSort.Date ? facets.ByDate : facets.ByCitations, Matched(connection, "paper_search", query.Parts, facets), Keep(request, facets), tier0, offset, limit);
        return (await SearchRanking.PageAsync(connection, Arguments(query.Match!, request), query, tier0, Keep(request, facets), Filters, offset, limit, ct)).Select(r => r.Id).ToList();
    }

    /// <summary>The hits for <paramref name="ids"/> (papers <paramref name="query"/> matches) by id, titles and snippets marked.</summary>
    internal async Task<IReadOnlyDictionary<long, SearchHit>> HitsAsync(SearchQuery query, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0 || query.Match is null) return new Dictionary<long, SearchHit>();
        await using var connection = await database.OpenAsync(ct);
        return await HitsByIdAsync(connection, query, ids, ct);
    }

    private static async Task<IReadOnlyList<SearchHit>> HitsAsync(SqliteConnection connection, SearchQuery query, IReadOnlyList<long> ids, CancellationToken ct)
    {
        var hits = await HitsByIdAsync(connection, query, ids, ct);
        return ids.Where(hits.ContainsKey).Select(id => hits[id]).ToList();
    }

    private static async Task<Dictionary<long, SearchHit>> HitsByIdAsync(SqliteConnection connection, SearchQuery query, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var marks = SearchMarks.For(query.Match!);
        var hits = new Dictionary<long, SearchHit>(ids.Count);
        foreach (var row in await connection.QueryAsync<RankedHit>(new CommandDefinition(HitsSql, new { ids }, cancellationToken: ct)))
        {
            hits[row.Id] = (SearchHit)row with
            {
                TitleHtml = SearchText.ToMarkedHtml(marks.Highlight(row.IndexedTitle ?? "")),
                SnippetHtml = SearchText.ToMarkedHtml(marks.Snippet(row.IndexedIntro ?? "")),
            };
        }
        return hits;
    }

    private static bool HasFilters(SearchRequest r) =>
        !string.IsNullOrWhiteSpace(r.Topic) || r.From is not null || r.To is not null || !string.IsNullOrWhiteSpace(r.Venue);

    /// <summary>
    /// A page sorted by date or citations, from memory: the sort's order of every paper walked run by run (a run: equal
    /// dates or counts), keeping the matches the filters keep, so no match is scored. Within a run, title and keyword
    /// matches come first in relevance order (tier 0, see <see cref="SearchRanking"/>), then the rest by id.
    /// </summary>
    private static List<long> SortedIds(SortOrder order, MatchSet matched, Func<int, bool>? keep, HeadingTier tier0, long offset, int limit)
    {
        var page = new List<long>(limit);
        var rank = new Dictionary<int, int>();
        for (var r = 0; r < tier0.Ids.Length; r++) rank.TryAdd(tier0.Ids[r], r);
        var run = new List<int>();
        long seen = 0;
        for (var i = 0; i < order.Ids.Length && page.Count < limit;)
        {
            run.Clear();
            for (var current = order.Run[i]; i < order.Ids.Length && order.Run[i] == current; i++)
                if (matched.Contains(order.Ids[i]) && (keep is null || keep(order.Ids[i]))) run.Add(order.Ids[i]);
            if (seen + run.Count <= offset) { seen += run.Count; continue; }
            run.Sort((a, b) => (rank.TryGetValue(a, out var ra) ? ra : int.MaxValue, a).CompareTo((rank.TryGetValue(b, out var rb) ? rb : int.MaxValue, b)));
            foreach (var id in run)
            {
                if (seen++ < offset) continue;
                page.Add(id);
                if (page.Count == limit) break;
            }
        }
        return page;
    }

    private sealed record RankedHit : SearchHit
    {
        public long Id { get; init; }
        public string? IndexedTitle { get; init; }
        public string? IndexedIntro { get; init; }
    }

    /// <summary>
    /// Totals and facet counts from the grouped matches. Each facet counts with the other filters applied but not
    /// its own, so a reader sees what choosing another value would give.
    /// </summary>
    private static SearchResults Facets(SearchRequest request, SearchQuery query, List<FacetGroup> groups, IReadOnlyList<TopicSummary> topicList)
    {
        var from = request.From?.ToString(CultureInfo.InvariantCulture);
        var to = request.To?.ToString(CultureInfo.InvariantCulture);
        bool TopicOk(FacetGroup g) => string.IsNullOrWhiteSpace(request.Topic) || g.Topic == request.Topic;
        bool YearOk(FacetGroup g) => (from is null || g.Year is not null && string.CompareOrdinal(g.Year, from) >= 0)
                                     && (to is null || g.Year is not null && string.CompareOrdinal(g.Year, to) <= 0);
        bool VenueOk(FacetGroup g) => string.IsNullOrWhiteSpace(request.Venue) || g.Venue == request.Venue;

        var total = groups.Where(g => TopicOk(g) && YearOk(g) && VenueOk(g)).Sum(g => g.Count);
        var byTopic = groups.Where(g => YearOk(g) && VenueOk(g)).GroupBy(g => g.Topic).ToDictionary(g => g.Key, g => g.Sum(x => x.Count));
        var topicFacet = topicList.Where(t => byTopic.ContainsKey(t.Slug) || t.Slug == request.Topic)
            .Select(t => new FacetValue(t.Slug, t.Name, byTopic.GetValueOrDefault(t.Slug), t.Slug == request.Topic)).ToList();
        var yearFacet = groups.Where(g => TopicOk(g) && VenueOk(g) && !string.IsNullOrEmpty(g.Year))
            .GroupBy(g => g.Year!).OrderByDescending(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FacetValue(g.Key, g.Key, g.Sum(x => x.Count), from == g.Key && to == g.Key)).ToList();
        var venueFacet = groups.Where(g => TopicOk(g) && YearOk(g) && !string.IsNullOrEmpty(g.Venue))
            .GroupBy(g => g.Venue!).Select(g => new FacetValue(g.Key, g.Key, g.Sum(x => x.Count), g.Key == request.Venue))
            .OrderByDescending(v => v.Count).ThenBy(v => v.Label, StringComparer.OrdinalIgnoreCase).Take(30).ToList();
        if (!string.IsNullOrWhiteSpace(request.Venue) && venueFacet.All(v => v.Value != request.Venue))
            venueFacet.Add(new FacetValue(request.Venue, request.Venue, 0, true));
        return new SearchResults { Request = request, Query = query, Total = total, Topics = topicFacet, Years = yearFacet, Venues = venueFacet };
    }

    /// <summary>
    /// "Did you mean": each word the catalog does not know is swapped for its nearest known words; a suggestion is
    /// offered only when it finds something.
    /// </summary>
    private async Task<IReadOnlyList<SearchSuggestion>> SuggestAsync(SqliteConnection connection, SearchQuery query, SearchRequest request, CancellationToken ct)
    {
        var camelWords = await cache.GetOrLoadAsync("search:camel", TimeSpan.FromMinutes(10), LoadCamelWordsAsync, ct);
        var vocabulary = (await cache.GetOrLoadAsync("search:vocabulary", TimeSpan.FromMinutes(10), LoadVocabularyAsync, ct))!;
        var terms = query.Terms.ToList();
        var unknown = Enumerable.Range(0, terms.Count).Where(i => !terms[i].Contains(' ', StringComparison.Ordinal) && !vocabulary.Knows(terms[i])).ToList();
        if (unknown.Count == 0) return [];
        var best = unknown.ToDictionary(i => i, i => vocabulary.Nearest(terms[i], 3));
        var suggestions = new List<SearchSuggestion>();
        foreach (var first in unknown)
        {
            foreach (var candidate in best[first])
            {
                var corrected = terms.Select((term, i) => i == first ? candidate : best.TryGetValue(i, out var b) && b.Count > 0 ? b[0] : term).ToList();
                var text = string.Join(' ', corrected.Select(t => t.Contains(' ', StringComparison.Ordinal) ? "\"" + t + "\"" : t));
                if (suggestions.Any(s => s.Query == text)) continue;
                var parsed = SearchQuery.Parse(text, camelWords);
                if (parsed.Match is null) continue;
                const string countSql = "SELECT EXISTS (SELECT 1 FROM paper_search JOIN papers p ON p.id = paper_search.rowid JOIN topics t ON t.id = p.topic_id WHERE paper_search MATCH @match " + Filters + ");";
                var args = Arguments(parsed.Match, request);
                if (await connection.ExecuteScalarAsync<bool>(new CommandDefinition(countSql, args, cancellationToken: ct)))
                {
                    var distance = corrected.Select((word, i) => SpellingVocabulary.Distance(SearchText.Fold(terms[i]), SearchText.Fold(word), 3)).Sum();
                    suggestions.Add(new SearchSuggestion(text, candidate, distance));
                }
                if (suggestions.Count == 3) return suggestions;
            }
        }
        return suggestions;
    }

    private async Task<SpellingVocabulary?> LoadVocabularyAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT name FROM keywords;
            SELECT title FROM papers;
            """;
        await using var connection = await database.OpenAsync(ct);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, cancellationToken: ct));
        var keywords = await grid.ReadAsync<string>();
        var titles = await grid.ReadAsync<string>();
        return new SpellingVocabulary(keywords, titles);
    }

    /// <summary>The empty search page: the keywords most papers carry, and the topics.</summary>
    public async Task<SearchStart> StartAsync(CancellationToken ct)
    {
        var keywords = await cache.GetOrLoadAsync("search:popular", LoadPopularAsync, ct);
        return new SearchStart(keywords!, await topics.ListAsync(ct));
    }

    private async Task<IReadOnlyList<KeywordUse>?> LoadPopularAsync(CancellationToken ct)
    {
        const string sql = """
            SELECT k.name AS Name, k.slug AS Slug, count(*) AS Papers
            FROM keywords k JOIN paper_keywords pk ON pk.keyword_id = k.id
            GROUP BY k.id
            ORDER BY Papers DESC, k.name COLLATE NOCASE
            LIMIT 24;
            """;
        await using var connection = await database.OpenAsync(ct);
        return (await connection.QueryAsync<KeywordUse>(new CommandDefinition(sql, cancellationToken: ct))).ToList();
    }
}

/// <summary>
/// A keyword search ranked but not yet shown (<see cref="SearchQueries.RankAsync"/>): its results without hits, the ids of
/// its first papers in rank order, and what the search knows of its matches (null when nothing searchable was typed).
/// </summary>
internal sealed record KeywordRanking(SearchResults Results, IReadOnlyList<long> Window, SearchQueries.KeywordState? State);
