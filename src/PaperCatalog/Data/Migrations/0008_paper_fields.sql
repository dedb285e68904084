-- Who last edited a paper on the site, and when. An edit of a list paper stays until the list's row for it changes; the
-- import that then replaces it with the list's version names it (see PaperWriter and CatalogImporter). The list's
-- version clears both columns.
ALTER TABLE papers ADD COLUMN edited_by TEXT NULL;
ALTER TABLE papers ADD COLUMN edited_at TEXT NULL;

-- List papers edited before this column existed: their last edit from the audit log, so the next import that replaces
-- one says so. (The audit target is the paper's URL; an escaped non-ASCII slug does not match and stays unmarked.)
UPDATE papers SET
    edited_by = (SELECT a.moderator FROM audit_log a WHERE a.action = 'edit-paper' AND a.target = '/papers/' || papers.slug ORDER BY a.at DESC, a.id DESC LIMIT 1),
    edited_at = (SELECT a.at FROM audit_log a WHERE a.action = 'edit-paper' AND a.target = '/papers/' || papers.slug ORDER BY a.at DESC, a.id DESC LIMIT 1)
WHERE origin = 'list';

-- A paper's code repository and its authors (one name per line), for papers and for submissions waiting for review.
ALTER TABLE papers ADD COLUMN code_url TEXT NULL;
ALTER TABLE papers ADD COLUMN authors TEXT NULL;
ALTER TABLE submissions ADD COLUMN code_url TEXT NULL;
ALTER TABLE submissions ADD COLUMN authors TEXT NULL;
