-- A list paper's source key (issue 12): a hash of what its list row says with its intro file's path, size and last
-- write time in place of the intro's text (PaperFields.SourceKey). An import compares it first, so an unchanged row
-- is known without reading its intro, from the store or from the file: the content hash (which covers the text) is
-- taken only for rows whose key differs. A moderator's edit keeps it, as it keeps the content hash, so an unchanged
-- row keeps the edit. Null for papers that came through the site and for rows written before this migration (their
-- next import compares the content hash, as before, and records the key).
ALTER TABLE papers ADD COLUMN source_key TEXT;
