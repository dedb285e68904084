-- Faster imports (issue 12). Three changes:
--
-- 1. The full index (paper_search) loses its prefix indexes (prefix = '2 3'), which made every write three times the
--    work: a prefix query ("atten*") still matches, by reading the index's terms that start with it instead of a
--    prefix doclist. The heading index (paper_headings) keeps them: its text is short, and the first tier ranks on it.
--    The index is rebuilt from search_documents here (the documents are unchanged).
-- 2. The triggers that keep both indexes in step with search_documents pause while search_index_paused holds its row:
--    an import that writes most of the catalog's documents sets it inside its transaction, writes the documents, then
--    clears it and rebuilds both indexes in one pass ('rebuild'), which is a third of the work of the same rows through
--    the triggers. A rolled-back import rolls the row back with everything else.
-- 3. intro_files: each intro file's size and modification time as last imported, with the links found in it, so an
--    import of an unchanged file takes its text from the paper's row instead of reading and parsing the file again.
CREATE TABLE search_index_paused (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

DROP TRIGGER search_documents_insert;
DROP TRIGGER search_documents_delete;
DROP TRIGGER search_documents_update;
DROP TRIGGER search_headings_insert;
DROP TRIGGER search_headings_delete;
DROP TRIGGER search_headings_update;

DROP TABLE paper_search;
CREATE VIRTUAL TABLE paper_search USING fts5(
    title, keywords, aliases, venue, affiliation, intro,
    content = 'search_documents', content_rowid = 'paper_id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO paper_search (paper_search) VALUES ('rebuild');

CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents
WHEN NOT EXISTS (SELECT 1 FROM search_index_paused) BEGIN
    INSERT INTO paper_search (rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.venue, new.affiliation, new.intro);
    INSERT INTO paper_headings (rowid, title, keywords, aliases, affiliation)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.affiliation);
END;

CREATE TRIGGER search_documents_delete AFTER DELETE ON search_documents
WHEN NOT EXISTS (SELECT 1 FROM search_index_paused) BEGIN
    INSERT INTO paper_search (paper_search, rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.venue, old.affiliation, old.intro);
    INSERT INTO paper_headings (paper_headings, rowid, title, keywords, aliases, affiliation)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.affiliation);
END;

CREATE TRIGGER search_documents_update AFTER UPDATE ON search_documents
WHEN NOT EXISTS (SELECT 1 FROM search_index_paused) BEGIN
    INSERT INTO paper_search (paper_search, rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.venue, old.affiliation, old.intro);
    INSERT INTO paper_search (rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.venue, new.affiliation, new.intro);
    INSERT INTO paper_headings (paper_headings, rowid, title, keywords, aliases, affiliation)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.affiliation);
    INSERT INTO paper_headings (rowid, title, keywords, aliases, affiliation)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.affiliation);
END;

-- path: the intro's path relative to the list's folder, '/'-separated (as list_rows.intro_path); modified: the file's
-- last write time in 100 ns ticks (UTC); links: the links and images the file holds, as JSON (url, image, line).
CREATE TABLE intro_files (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    links    TEXT NOT NULL
) WITHOUT ROWID;
