using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;
using PaperCatalog.Markdown;
using PaperCatalog.Submissions;

namespace PaperCatalog.Tests.Submissions;

/// <summary>The queue's store on a real SQLite file: migration 0006 over a store with submissions, and the pending-title index.</summary>
public sealed class QueueStoreTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_temp.File("catalog.db")};Pooling=False");
        connection.Open();
        return connection;
    }

    private static void Insert(SqliteConnection c, string title, string status, string? intro) => c.Execute("""
        INSERT INTO submissions (token, idempotency_key, status, title, title_key, link, keywords, affiliation, published, intro_markdown, created_at)
        VALUES (@token, @token, @status, @title, @key, 'https://example.org/x', 'k', 'a', '2024.01', @intro, '2026-01-01T00:00:00Z');
        """, new { token = Guid.NewGuid().ToString("N"), status, title, key = Identifiers.TitleKey(title), intro });

    [Fact]
    public async Task Migration0006_OverAStoreWithSubmissions_IndexesPendingTitlesOnly_AndRendersOldIntrosAtFirstRead()
    {
        // A store as it was before 0006, with a pending and a rejected submission in it.
        using (var c = Open())
        {
            foreach (var (number, sql) in CatalogDatabase.Migrations().Where(m => m.Number < 6))
            {
                c.Execute(sql);
                c.Execute("PRAGMA user_version = " + number.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            Insert(c, "Speculative Sampling with Tree Drafts", "pending", "Drafts form a **tree**.");
            Insert(c, "Speculative Sampling with Tree Drafts Rejected", "rejected", "Old.");
        }
        var database = new CatalogDatabase(_temp.File("catalog.db"));
        await database.MigrateAsync(CancellationToken.None);

        using (var c = Open())
        {
            Assert.Equal([1L], c.Query<long>("SELECT rowid FROM pending_titles WHERE pending_titles MATCH '\"speculative\" \"drafts\"'"));
            Assert.Null(c.ExecuteScalar<string?>("SELECT intro_html FROM submissions WHERE id = 1"));
        }
        var store = new SubmissionStore(database, new MarkdownRenderer(), TimeProvider.System);
        var page = await store.QueueAsync(1, 25, QueueOrder.Oldest, CancellationToken.None);
        Assert.Equal("Drafts form a tree.", Assert.Single(page.Rows).IntroExcerpt);
        using (var c = Open())
        {
            Assert.Equal("<p>Drafts form a <strong>tree</strong>.</p>", c.ExecuteScalar<string>("SELECT intro_html FROM submissions WHERE id = 1")!.Trim());
            Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA integrity_check"));
        }
    }

    [Fact]
    public async Task PendingTitleIndex_FollowsEveryDecision_ApprovedRejectedOrDeletedTitlesLeaveIt()
    {
        var database = new CatalogDatabase(_temp.File("catalog.db"));
        await database.MigrateAsync(CancellationToken.None);
        using var c = Open();
        for (var i = 0; i < 4; i++) Insert(c, $"Tree Drafts Number {i}", "pending", null);
        c.Execute("UPDATE submissions SET status = 'rejected' WHERE id = 1");
        c.Execute("UPDATE submissions SET status = 'approved', title = 'Renamed On Approval' WHERE id = 2");
        c.Execute("UPDATE submissions SET title = 'Tree Drafts Retitled' WHERE id = 3");
        c.Execute("DELETE FROM submissions WHERE id = 4");
        Assert.Equal([3L], c.Query<long>("SELECT rowid FROM pending_titles WHERE pending_titles MATCH 'tree'"));
        Assert.Equal([3L], c.Query<long>("SELECT rowid FROM pending_titles WHERE pending_titles MATCH 'retitled'"));
        Assert.Empty(c.Query<long>("SELECT rowid FROM pending_titles WHERE pending_titles MATCH 'renamed'"));
        Assert.Equal("ok", c.ExecuteScalar<string>("PRAGMA integrity_check"));
    }

    [Theory]
    [InlineData("Short **intro**.", "Short intro.")]
    [InlineData("# Heading\n\nFirst paragraph.\n\n- one\n- two", "Heading First paragraph. one two")]
    public void Excerpt_IsThePlainTextOfTheRenderedIntro_BlocksSeparated(string markdown, string excerpt) =>
        Assert.Equal(excerpt, RenderedIntro.Render(new MarkdownRenderer(), markdown, null)!.Excerpt);

    [Fact]
    public void Excerpt_OfALongIntro_IsCutAtAWord()
    {
        var excerpt = RenderedIntro.Render(new MarkdownRenderer(), string.Concat(Enumerable.Repeat("lorem ipsum ", 5_000)), null)!.Excerpt;
        Assert.True(excerpt.Length <= RenderedIntro.ExcerptLength + 1, $"{excerpt.Length} characters");
        Assert.EndsWith("ipsum…", excerpt, StringComparison.Ordinal);
    }
}
