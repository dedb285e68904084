-- The moderation queue at scale.
-- Each submission's intro is rendered once, when it is stored or a moderator edits it: intro_html is the sanitised
-- HTML, intro_excerpt its first words as plain text for the queue. Rows stored before this migration have both NULL
-- and are rendered the first time a moderator reads them (SQL cannot run the Markdown renderer).
ALTER TABLE submissions ADD COLUMN intro_html TEXT NULL;
ALTER TABLE submissions ADD COLUMN intro_excerpt TEXT NULL;

-- Duplicate lookups only ever look at pending submissions: index those alone.
DROP INDEX ix_submissions_arxiv;
DROP INDEX ix_submissions_doi;
DROP INDEX ix_submissions_title_key;
CREATE INDEX ix_submissions_pending_arxiv ON submissions(arxiv_id) WHERE status = 'pending' AND arxiv_id IS NOT NULL;
CREATE INDEX ix_submissions_pending_doi ON submissions(doi) WHERE status = 'pending' AND doi IS NOT NULL;
CREATE INDEX ix_submissions_pending_title_key ON submissions(title_key) WHERE status = 'pending';

-- The titles of pending submissions, for similar-title candidates without reading the queue. Contentless (the
-- titles live in submissions) with delete support; the triggers keep exactly the pending rows in it.
CREATE VIRTUAL TABLE pending_titles USING fts5(
    title,
    content = '', contentless_delete = 1,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO pending_titles (rowid, title) SELECT id, title FROM submissions WHERE status = 'pending';

CREATE TRIGGER submissions_pending_insert AFTER INSERT ON submissions WHEN new.status = 'pending' BEGIN
    INSERT INTO pending_titles (rowid, title) VALUES (new.id, new.title);
END;

CREATE TRIGGER submissions_pending_update AFTER UPDATE OF status, title ON submissions BEGIN
    DELETE FROM pending_titles WHERE rowid = old.id;
    INSERT INTO pending_titles (rowid, title) SELECT new.id, new.title WHERE new.status = 'pending';
END;

CREATE TRIGGER submissions_pending_delete AFTER DELETE ON submissions WHEN old.status = 'pending' BEGIN
    DELETE FROM pending_titles WHERE rowid = old.id;
END;
