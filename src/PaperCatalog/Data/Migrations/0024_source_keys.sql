-- A list paper's source key (issue 12): a hash of what its list row says with its intro file's path, size and last
-- write time in place of the intro's text (PaperFields.SourceKey). An import compares it first, so an unchanged row
-- is known without reading its intro, from the store or from the file: the content hash (which covers the text) is
-- taken only for rows whose key differs. A moderator's edit keeps it, as it keeps the content hash, so an unchanged
-- row keeps the edit. Null for papers that came through the site and for rows written before this migration (their
-- next import compares the content hash, as before, and records the key).
ALTER TABLE papers ADD COLUMN source_key TEXT;

-- What an import reads of every paper to match the list's rows to them (CatalogImporter.ApplyAsync), in one index that
-- holds it all: a scan of the table itself steps over every intro and its HTML (5 KB a paper, most of it overflow
-- pages, since origin, the hashes and the edit columns come after them), the index over 200 bytes a paper.
CREATE INDEX ix_papers_import ON papers (origin, title_key, arxiv_id, slug, content_hash, source_key, topic_id, position, edited_by, edited_at);
