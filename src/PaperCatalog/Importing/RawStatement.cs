using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PaperCatalog.Importing;

/// <summary>
/// A statement prepared once on the connection's own SQLite handle and bound by position. The importer runs
/// its two hottest statements (one per paper, one per keyword) through this, because binding parameters by
/// name through ADO.NET costs more than SQLite's own work for rows this small. It takes part in whatever
/// transaction the connection has open.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public RawStatement Bind(int index, string? value)
    {
        var rc = value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }

    public RawStatement Bind(int index, long? value)
    {
        var rc = value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_int64(_statement, index, value.Value);
        SqliteException.ThrowExceptionForRC(rc, _db);
        return this;
    }

    /// <summary>Runs the statement to completion and readies it for the next row.</summary>
    public void Run()
    {
        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    /// <summary>The rowid of the last row this connection inserted.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    public void Dispose() => _statement.Dispose();
}
