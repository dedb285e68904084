using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PaperCatalog.Data;

/// <summary>
/// A statement prepared once on the connection's own SQLite handle and bound by position. The paper store runs
/// its per-paper and per-keyword statements through this, because binding parameters by name through ADO.NET
/// costs more than SQLite's own work for rows this small (an import writes 100,000 of them). It takes part in
/// whatever transaction the connection has open.
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

    /// <summary>
    /// Binds text with its length. SQLitePCL's string overload hands long strings to SQLite NUL-terminated, which cuts a
    /// value at its first NUL character (a list or intro may hold one; the importer fuzz test found it).
    /// </summary>
    public RawStatement Bind(int index, string? value)
    {
        if (value is null)
        {
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_null(_statement, index), _db);
            return this;
        }
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = most <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(most));
        try
        {
            var length = Encoding.UTF8.GetBytes(value, buffer);
            SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(_statement, index, buffer[..length]), _db);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
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

    /// <summary>A value the caller's store cannot hold as text or a number is a bug, named here rather than stored as something else.</summary>
    public RawStatement Bind(int index, object? value) => value switch
    {
        null => Bind(index, (string?)null),
        string s => Bind(index, s),
        long l => Bind(index, l),
        int i => Bind(index, (long)i),
        _ => throw new ArgumentException($"Parameter {index} is a {value.GetType().Name}; only text and integers are bound here.", nameof(value)),
    };

    /// <summary>Runs the statement and returns the first column of its first row as an integer (null when there is no row).</summary>
    public long? RunScalar()
    {
        var rc = raw.sqlite3_step(_statement);
        long? value = rc == raw.SQLITE_ROW ? raw.sqlite3_column_int64(_statement, 0) : null;
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, _db);
        return value;
    }

    /// <summary>The rowid of the last row this connection inserted.</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    public void Dispose() => _statement.Dispose();
}
