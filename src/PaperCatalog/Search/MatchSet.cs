using System.Numerics;
using Microsoft.Data.Sqlite;

namespace PaperCatalog.Search;

/// <summary>
/// The papers an FTS5 expression matches, as a bitmap over paper ids. Counting and faceting a word found in half the
/// catalog is then a walk over bits, not a walk over the index, and a word's set is read once and shared by every
/// query that has it (see <see cref="SearchQuery.Parts"/>).
/// </summary>
internal sealed class MatchSet
{
    private readonly ulong[] _bits;

    private MatchSet(ulong[] bits) => _bits = bits;

    /// <summary>The ids the set can hold, 0 to <c>capacity - 1</c>.</summary>
    public int Capacity => _bits.Length * 64;

    /// <summary>Memory held, for the cache's size limit.</summary>
    public long Bytes => _bits.Length * sizeof(ulong) + 24;

    /// <summary>
    /// Reads the rowids <paramref name="match"/> finds in <paramref name="table"/> (a constant, never input); ids at or
    /// above <paramref name="capacity"/> (papers written since the caller's facets were read) are left out.
    /// </summary>
    public static MatchSet Read(SqliteConnection connection, string table, string match, int capacity)
    {
        var bits = new ulong[(capacity + 63) / 64];
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid FROM " + table + " WHERE " + table + " MATCH $match;";
        command.Parameters.AddWithValue("$match", match);
        // Read, not ReadAsync: tens of thousands of rows come from pages in memory, and a task for each costs more than the row.
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt64(0);
            if (id >= 0 && id < capacity) bits[id >> 6] |= 1UL << (int)(id & 63);
        }
        return new MatchSet(bits);
    }

    /// <summary>Whether the set holds <paramref name="id"/>.</summary>
    public bool Contains(int id) => id >= 0 && id < Capacity && (_bits[id >> 6] & (1UL << (id & 63))) != 0;

    /// <summary>Papers in both sets.</summary>
    public MatchSet And(MatchSet other)
    {
        var bits = new ulong[Math.Min(_bits.Length, other._bits.Length)];
        for (var i = 0; i < bits.Length; i++) bits[i] = _bits[i] & other._bits[i];
        return new MatchSet(bits);
    }

    /// <summary>Papers in either set.</summary>
    public MatchSet Or(MatchSet other)
    {
        var (longer, shorter) = _bits.Length >= other._bits.Length ? (_bits, other._bits) : (other._bits, _bits);
        var bits = (ulong[])longer.Clone();
        for (var i = 0; i < shorter.Length; i++) bits[i] |= shorter[i];
        return new MatchSet(bits);
    }

    /// <summary>How many papers the set holds.</summary>
    public long Count
    {
        get
        {
            long count = 0;
            foreach (var word in _bits) count += BitOperations.PopCount(word);
            return count;
        }
    }

    /// <summary>The ids in ascending order.</summary>
    public IEnumerable<int> Ids()
    {
        for (var i = 0; i < _bits.Length; i++)
        {
            var word = _bits[i];
            while (word != 0)
            {
                yield return (i << 6) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }
}
