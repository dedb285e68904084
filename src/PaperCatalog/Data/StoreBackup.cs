using Dapper;
using Microsoft.Data.Sqlite;

namespace PaperCatalog.Data;

/// <summary>
/// Consistent copies of a store that may be in use: SQLite's online backup reads one snapshot of the whole file while
/// the site and imports go on writing, and restoring writes a backup back through the same API in one step.
/// </summary>
public static class StoreBackup
{
    /// <summary>
    /// Copies <paramref name="database"/> to <paramref name="file"/> (mode 0600). The copy is written beside the
    /// target and renamed into place, so an interrupted backup never leaves a half-written file under that name.
    /// </summary>
    public static async Task BackupAsync(CatalogDatabase database, string file, CancellationToken ct)
    {
        if (!File.Exists(database.Path)) throw new FileNotFoundException($"there is no store at {database.Path}", database.Path);
        var target = Path.GetFullPath(file);
        if (target == database.Path) throw new IOException("a backup cannot overwrite the store itself");
        var partial = target + ".partial";
        File.Delete(partial);
        OwnerOnly.CreateFile(partial);
        try
        {
            await using (var source = await database.OpenAsync(ct))
            await using (var copy = await OpenFileAsync(partial, SqliteOpenMode.ReadWrite, ct))
            {
                source.BackupDatabase(copy);
                // A backup is one self-contained file: no WAL beside it.
                await copy.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = DELETE;", cancellationToken: ct));
            }
            SqliteConnection.ClearPool(new SqliteConnection(ConnectionString(partial, SqliteOpenMode.ReadWrite)));
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>
    /// Replaces the contents of <paramref name="database"/> with the backup in <paramref name="file"/>, after checking
    /// that the backup is a sound catalog store no newer than this build; then brings its schema up to date. Readers
    /// see the old store or the restored one, never a mix. Returns null, or a sentence saying why nothing was restored.
    /// </summary>
    public static async Task<string?> RestoreAsync(CatalogDatabase database, string file, CancellationToken ct)
    {
        if (!File.Exists(file)) return $"there is no backup at {file}";
        await using (var backup = await OpenFileAsync(file, SqliteOpenMode.ReadOnly, ct))
        {
            string integrity;
            long version;
            try
            {
                integrity = await backup.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA integrity_check;", cancellationToken: ct)) ?? "";
                version = await backup.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA user_version;", cancellationToken: ct));
            }
            catch (SqliteException e)
            {
                return $"{file} is not an SQLite database ({e.SqliteErrorCode}: {e.Message.Split('\n')[0]})";
            }
            if (integrity != "ok") return $"{file} fails SQLite's integrity check: {integrity}";
            if (version == 0 || !await backup.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'papers');", cancellationToken: ct)))
                return $"{file} is not a PaperCatalog store";
            if (version > CatalogDatabase.LatestMigration)
                return $"{file} was made by a newer PaperCatalog (schema {version}; this one knows {CatalogDatabase.LatestMigration})";

            await database.MigrateAsync(ct); // creates the store (0600) when there is none yet
            await using var live = await database.OpenAsync(ct);
            backup.BackupDatabase(live);
        }
        // The restored file may be older than this build.
        await database.MigrateAsync(ct);
        return null;
    }

    private static async Task<SqliteConnection> OpenFileAsync(string path, SqliteOpenMode mode, CancellationToken ct)
    {
        var connection = new SqliteConnection(ConnectionString(path, mode));
        await connection.OpenAsync(ct);
        return connection;
    }

    private static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();
}
