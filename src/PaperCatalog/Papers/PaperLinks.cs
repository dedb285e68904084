using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;

namespace PaperCatalog.Papers;

/// <summary>
/// The papers an intro links to (table <c>paper_links</c>, migration 0022), read from its rendered HTML: every writer of
/// papers renders intro links to other papers as <see cref="PaperUrls.Paper"/>. <see cref="PaperWriter"/> rewrites a
/// paper's links with the paper; related papers read who links to a paper from here.
/// </summary>
public static partial class PaperLinks
{
    [GeneratedRegex("""href="/papers/([^"#?/]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex PaperLink();

    /// <summary>The slugs of the papers <paramref name="introHtml"/> links to, each once.</summary>
    public static IReadOnlyCollection<string> Targets(string? introHtml) =>
        string.IsNullOrEmpty(introHtml) ? [] : PaperLink().Matches(introHtml).Select(m => Uri.UnescapeDataString(m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

    internal const string ClearSql = "DELETE FROM paper_links WHERE paper_id = ?1;";
    internal const string AddSql = "INSERT OR IGNORE INTO paper_links (target, paper_id) VALUES (?1, ?2);";

    /// <summary>Migration 0022's code step: every stored intro's links.</summary>
    internal static async Task FillAsync(SqliteConnection connection, SqliteTransaction tx, CancellationToken ct)
    {
        const string read = "SELECT id, intro_html FROM papers WHERE intro_html LIKE '%href=\"/papers/%';";
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(read, transaction: tx, cancellationToken: ct));
        using var add = new RawStatement(connection, AddSql);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            foreach (var target in Targets(reader.GetString(1))) add.Bind(1, target).Bind(2, id).Run();
        }
    }
}
