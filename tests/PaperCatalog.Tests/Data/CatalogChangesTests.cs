using Dapper;
using PaperCatalog.Data;

namespace PaperCatalog.Tests.Data;

/// <summary>
/// Migration 0027's count of catalog writes, which the site's caches follow instead of every write to the store: each
/// table is either counted or private, and only the counted ones move the count.
/// </summary>
public sealed class CatalogChangesTests : IDisposable
{
    /// <summary>Tables no public page reads: a write to them must not empty every reader's cache.</summary>
    private static readonly string[] Private =
    [
        "audit_log", "moderator_sessions", "moderators", "sign_in_failures", "submissions", "submission_figures",
        "import_state", "catalog_changes",
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<CatalogDatabase> StoreAsync()
    {
        var db = new CatalogDatabase(_temp.File("catalog.db"));
        await db.MigrateAsync(CancellationToken.None);
        return db;
    }

    [Fact]
    public async Task EveryTable_IsCountedOrPrivate()
    {
        var db = await StoreAsync();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        var schema = (await connection.QueryAsync<(string Type, string Name, string Table, string Sql)>(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_master;")).ToList();
        var virtualTables = schema.Where(o => o.Type == "table" && o.Sql.StartsWith("CREATE VIRTUAL TABLE", StringComparison.OrdinalIgnoreCase)).Select(o => o.Name).ToList();
        var ordinary = schema.Where(o => o.Type == "table" && !o.Name.StartsWith("sqlite_", StringComparison.Ordinal) && !virtualTables.Contains(o.Name)
                                        && !virtualTables.Any(v => o.Name.StartsWith(v + "_", StringComparison.Ordinal))).Select(o => o.Name).ToList();
        Assert.Contains("papers", ordinary);
        foreach (var table in ordinary.Except(Private))
            foreach (var op in new[] { "insert", "update", "delete" })
                Assert.True(schema.Any(o => o.Type == "trigger" && o.Table == table && o.Name == $"catalog_changes_{table}_{op}"),
                    $"table {table} has no catalog_changes trigger for {op}: count its writes in a migration (public pages read it) or name it private here");
        // The private list names real tables only.
        Assert.All(Private, table => Assert.Contains(table, ordinary));
    }

    [Fact]
    public async Task ACatalogWriteMovesTheCount_APrivateWriteDoesNot()
    {
        var db = await StoreAsync();
        await using var connection = await db.OpenAsync(CancellationToken.None);
        async Task<long> CountAsync() => await connection.ExecuteScalarAsync<long>("SELECT n FROM catalog_changes WHERE id = 1;");

        var before = await CountAsync();
        await connection.ExecuteAsync("INSERT INTO sign_in_failures (scope, failures, first_at) VALUES ('name:x', 1, '2026-01-01T00:00:00Z');");
        await connection.ExecuteAsync("INSERT INTO audit_log (at, moderator, action, target) VALUES ('2026-01-01T00:00:00Z', 'a', 'sign-in', 'a');");
        Assert.Equal(before, await CountAsync());

        await connection.ExecuteAsync("INSERT INTO catalog_info (key, value) VALUES ('probe', '1') ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
        Assert.Equal(before + 1, await CountAsync());
        await connection.ExecuteAsync("DELETE FROM catalog_info WHERE key = 'probe';");
        Assert.Equal(before + 2, await CountAsync());
    }
}
