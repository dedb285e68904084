-- Full-text search. search_documents holds each paper's text as the index reads it (intro as plain text,
-- CamelCase words and scripts written without spaces split by U+200B); paper_search is an FTS5 index over it,
-- kept in step by the triggers below, so every write to search_documents updates the index in the same
-- transaction. Deleting a paper deletes its document (ON DELETE CASCADE), which fires the delete trigger.
CREATE TABLE search_documents (
    paper_id    INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    title       TEXT NOT NULL,
    keywords    TEXT NOT NULL,
    aliases     TEXT NOT NULL, -- CamelCase words whole ("SmoothQuant"), so both "smoothquant" and "quant" match
    venue       TEXT NOT NULL,
    affiliation TEXT NOT NULL,
    intro       TEXT NOT NULL
);

CREATE VIRTUAL TABLE paper_search USING fts5(
    title, keywords, aliases, venue, affiliation, intro,
    content = 'search_documents', content_rowid = 'paper_id',
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER search_documents_insert AFTER INSERT ON search_documents BEGIN
    INSERT INTO paper_search (rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.venue, new.affiliation, new.intro);
END;

CREATE TRIGGER search_documents_delete AFTER DELETE ON search_documents BEGIN
    INSERT INTO paper_search (paper_search, rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.venue, old.affiliation, old.intro);
END;

CREATE TRIGGER search_documents_update AFTER UPDATE ON search_documents BEGIN
    INSERT INTO paper_search (paper_search, rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.venue, old.affiliation, old.intro);
    INSERT INTO paper_search (rowid, title, keywords, aliases, venue, affiliation, intro)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.venue, new.affiliation, new.intro);
END;
