using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using PaperCatalog.Data;

namespace PaperCatalog.Figures;

/// <summary>A figure as a page shows it: where it is served, its size (so the page does not jump) and its description.</summary>
public sealed record FigureView
{
    public string ContentType { get; init; } = "";
    public long Width { get; init; }
    public long Height { get; init; }
    public string Description { get; init; } = "";
}

/// <summary>A checked figure as it comes with a submission, with the submitter's description of it (its alternative text).</summary>
public sealed record SubmittedFigure(Figure Figure, string Description);

/// <summary>A paper's figure: one of its images (<see cref="Path"/> under its media), shown above the intro.</summary>
public sealed record PaperFigure(string Path, long Width, long Height, string Description);

/// <summary>A stored figure's bytes, for the private addresses that serve a submission's figure.</summary>
public sealed record FigureFile
{
    public string ContentType { get; init; } = "";
    public byte[] Bytes { get; init; } = [];
}

/// <summary>
/// Figures that come with submissions: stored with the submission, served privately (to its submitter and the
/// moderators), and on approval made the paper's figure (an image of the paper, served like an intro's images).
/// </summary>
public sealed class FigureStore(CatalogDatabase database)
{
    /// <summary>Stores a figure with the submission whose token is <paramref name="token"/> (inside its transaction).</summary>
    internal static async Task AddAsync(SqliteConnection connection, SqliteTransaction tx, string token, SubmittedFigure figure, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO submission_figures (submission_id, content_type, bytes, width, height, description, digest)
            VALUES ((SELECT id FROM submissions WHERE token = @token), @ContentType, @Bytes, @Width, @Height, @Description, @digest);
            """;
        var (image, description) = (figure.Figure, figure.Description.Trim());
        var digest = Convert.ToHexStringLower(SHA256.HashData(image.Bytes));
        await connection.ExecuteAsync(new CommandDefinition(sql, new { token, image.ContentType, image.Bytes, image.Width, image.Height, Description = description, digest }, tx, cancellationToken: ct));
    }

    /// <summary>
    /// Makes a submission's figure the paper's (inside the approval's transaction), replacing any figure the paper had;
    /// returns a line for the audit log, or null when the submission has none.
    /// </summary>
    public static async Task<string?> PublishAsync(SqliteConnection connection, SqliteTransaction tx, long submissionId, long paperId, CancellationToken ct)
    {
        const string readSql = "SELECT content_type AS ContentType, width AS Width, height AS Height, description AS Description, digest AS Digest FROM submission_figures WHERE submission_id = @submissionId;";
        // The old figure's image goes (its paper_figures row with it, by the foreign key); the new one is named by its
        // digest, so a browser that cached the old address never shows the old image for the new.
        const string removeSql = "DELETE FROM paper_media WHERE (paper_id, path) IN (SELECT paper_id, path FROM paper_figures WHERE paper_id = @paperId);";
        const string mediaSql = """
            INSERT INTO paper_media (paper_id, path, content_type, bytes)
            SELECT @paperId, @path, content_type, bytes FROM submission_figures WHERE submission_id = @submissionId
            ON CONFLICT (paper_id, path) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes;
            """;
        const string figureSql = "INSERT INTO paper_figures (paper_id, path, width, height, description) VALUES (@paperId, @path, @Width, @Height, @Description);";
        var f = await connection.QuerySingleOrDefaultAsync<StoredFigure>(new CommandDefinition(readSql, new { submissionId }, tx, cancellationToken: ct));
        if (f is null) return null;
        var path = "figure/" + f.Digest[..16] + "." + FigureImages.ExtensionOf(f.ContentType);
        await connection.ExecuteAsync(new CommandDefinition(removeSql, new { paperId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(mediaSql, new { paperId, path, submissionId }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(figureSql, new { paperId, path, f.Width, f.Height, f.Description }, tx, cancellationToken: ct));
        // Not a "field: old → new" line: the log would show it as a word diff of two unrelated texts.
        return $"published the figure ({f.Width} × {f.Height} {f.ContentType}, \"{f.Description}\") as {path}";
    }

    private sealed record StoredFigure
    {
        public string ContentType { get; init; } = "";
        public long Width { get; init; }
        public long Height { get; init; }
        public string Description { get; init; } = "";
        public string Digest { get; init; } = "";
    }

    /// <summary>The figure of the submission with the private <paramref name="token"/>, or null.</summary>
    public async Task<FigureFile?> ByTokenAsync(string token, CancellationToken ct)
    {
        const string sql = """
            SELECT f.content_type AS ContentType, f.bytes AS Bytes
            FROM submission_figures f JOIN submissions s ON s.id = f.submission_id WHERE s.token = @token;
            """;
        if (string.IsNullOrEmpty(token) || token.Length > 64) return null;
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<FigureFile>(new CommandDefinition(sql, new { token = token.ToLowerInvariant() }, cancellationToken: ct));
    }

    /// <summary>The figure of submission <paramref name="id"/>, for moderators, or null.</summary>
    public async Task<FigureFile?> ByIdAsync(long id, CancellationToken ct)
    {
        const string sql = "SELECT content_type AS ContentType, bytes AS Bytes FROM submission_figures WHERE submission_id = @id;";
        await using var connection = await database.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<FigureFile>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }
}
