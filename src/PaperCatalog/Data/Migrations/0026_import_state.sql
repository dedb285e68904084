-- What the last import read, so that an import of the same list with the same files parses nothing and writes nothing
-- (issue 12: a re-import with nothing changed at 200,000 papers/s; see ImportState). One row, written by the import in
-- its own transaction. Any later write to papers or topics, through the site, the tool or by hand, deletes it
-- (the triggers below), so an import after a moderator's edit, an approval or a topic change goes row by row, which
-- handles those. The import itself writes the row after its last write to either table.
-- list_hash: SHA-256 of the list file's bytes. context: what else the import's output depends on (the renderer's,
-- the search index's and the schema's versions, the list's path and the working folder the report's paths are
-- relative to). media: the images the intros reference, as JSON [[path, size, modified], ...], paths under the list's
-- folder, size -1 for one that did not exist. summary: the import's counts and warnings (JSON), for the report of an
-- import that finds nothing changed. The intro files are in intro_files (migration 0020), with their sizes and times.
CREATE TABLE import_state (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    list_hash TEXT NOT NULL,
    context   TEXT NOT NULL,
    media     TEXT NOT NULL,
    summary   TEXT NOT NULL
);

CREATE TRIGGER import_state_papers_insert AFTER INSERT ON papers WHEN EXISTS (SELECT 1 FROM import_state) BEGIN DELETE FROM import_state; END;
CREATE TRIGGER import_state_papers_update AFTER UPDATE ON papers WHEN EXISTS (SELECT 1 FROM import_state) BEGIN DELETE FROM import_state; END;
CREATE TRIGGER import_state_papers_delete AFTER DELETE ON papers WHEN EXISTS (SELECT 1 FROM import_state) BEGIN DELETE FROM import_state; END;
CREATE TRIGGER import_state_topics_insert AFTER INSERT ON topics WHEN EXISTS (SELECT 1 FROM import_state) BEGIN DELETE FROM import_state; END;
CREATE TRIGGER import_state_topics_update AFTER UPDATE ON topics WHEN EXISTS (SELECT 1 FROM import_state) BEGIN DELETE FROM import_state; END;
CREATE TRIGGER import_state_topics_delete AFTER DELETE ON topics WHEN EXISTS (SELECT 1 FROM import_state) BEGIN DELETE FROM import_state; END;

