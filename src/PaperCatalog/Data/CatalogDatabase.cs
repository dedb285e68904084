using System.Reflection;
using Dapper;
using Microsoft.Data.Sqlite;

namespace PaperCatalog.Data;

/// <summary>
/// The SQLite file behind the catalog: hands out one open connection per operation and applies the
/// numbered migration scripts embedded in this assembly.
/// </summary>
public sealed class CatalogDatabase
{
    private readonly string _connectionString;

    /// <summary>Creates a factory for the database file at <paramref name="path"/> (created when missing).</summary>
    public CatalogDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            ForeignKeys = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Opens a connection with the catalog's pragmas set.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        // Microsoft.Data.Sqlite retries a busy database until the command timeout (DefaultTimeout) runs out,
        // so a reader that meets an import's lock waits instead of failing.
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>Applies every embedded migration newer than the file's <c>user_version</c>, in order.</summary>
    public async Task MigrateAsync(CancellationToken ct)
    {
        // The folder is made here, once, rather than on every open: the site and every import migrate first.
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        OwnerOnly.CreateFile(Path);
        await using var connection = await OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: ct));
        var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA user_version;", cancellationToken: ct));
        // A current store (every start of the site but the first after an upgrade) reads none of the scripts.
        foreach (var (number, name) in MigrationNames())
        {
            if (number <= version) continue;
            var sql = Read(typeof(CatalogDatabase).Assembly, name);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(sql, transaction: tx, cancellationToken: ct));
            if (CodeSteps.TryGetValue(number, out var step)) await step(connection, (SqliteTransaction)tx, ct);
            // PRAGMA does not take parameters; the number comes from an embedded file name, not from input.
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA user_version = " + number.ToString(System.Globalization.CultureInfo.InvariantCulture) + ";", transaction: tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
    }

    // What a migration computes that SQL cannot, run after its script in its transaction.
    private static readonly Dictionary<int, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task>> CodeSteps = new()
    {
        [18] = Citations.CitationQueries.FillBasesAsync,
        [22] = Papers.PaperLinks.FillAsync,
    };

    /// <summary>The code step migration <paramref name="number"/> runs after its script, or null.</summary>
    internal static Func<SqliteConnection, SqliteTransaction, CancellationToken, Task>? CodeStepOf(int number) => CodeSteps.GetValueOrDefault(number);

    /// <summary>True when the catalog holds no topics yet.</summary>
    public async Task<bool> IsEmptyAsync(CancellationToken ct)
    {
        const string sql = "SELECT NOT EXISTS (SELECT 1 FROM topics);";
        await using var connection = await OpenAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(sql, cancellationToken: ct));
    }

    /// <summary>The number of the newest migration this build carries: a current store's <c>user_version</c>.</summary>
    public static int LatestMigration { get; } = MigrationNames().Max(m => m.Number);

    /// <summary>
    /// The store's schema version (<c>PRAGMA user_version</c>) after reading one row of the catalog, so that a store
    /// that cannot be opened or read throws here.
    /// </summary>
    public async Task<long> ReadableSchemaVersionAsync(CancellationToken ct)
    {
        const string sql = "SELECT count(*) FROM (SELECT 1 FROM topics LIMIT 1); PRAGMA user_version;";
        await using var connection = await OpenAsync(ct);
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, cancellationToken: ct));
        await results.ReadSingleAsync<long>();
        return await results.ReadSingleAsync<long>();
    }

    internal static IEnumerable<(int Number, string Sql)> Migrations() =>
        MigrationNames().Select(m => (m.Number, Read(typeof(CatalogDatabase).Assembly, m.Name)));

    // The embedded scripts' numbers and resource names, in order, without reading them.
    private static IEnumerable<(int Number, string Name)> MigrationNames()
    {
        const string prefix = "PaperCatalog.Data.Migrations.";
        return typeof(CatalogDatabase).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Number: int.Parse(n.AsSpan(prefix.Length, 4), System.Globalization.CultureInfo.InvariantCulture), Name: n))
            .OrderBy(m => m.Number);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
