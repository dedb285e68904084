-- The heading tier of search: title, keywords, aliases and affiliation (authors and institutions) in an FTS5 index
-- of their own, over the same search_documents rows. A word in every second intro is in only a few titles, and this
-- index holds no intro positions, so ranking the first tier (and counting it) reads a small fraction of what the full
-- index would. Kept in step by triggers beside the full index's, in the same transaction as every document write.
CREATE VIRTUAL TABLE paper_headings USING fts5(
    title, keywords, aliases, affiliation,
    content = 'search_documents', content_rowid = 'paper_id',
    tokenize = 'porter unicode61 remove_diacritics 2',
    prefix = '2 3'
);

INSERT INTO paper_headings (paper_headings) VALUES ('rebuild');

CREATE TRIGGER search_headings_insert AFTER INSERT ON search_documents BEGIN
    INSERT INTO paper_headings (rowid, title, keywords, aliases, affiliation)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.affiliation);
END;

CREATE TRIGGER search_headings_delete AFTER DELETE ON search_documents BEGIN
    INSERT INTO paper_headings (paper_headings, rowid, title, keywords, aliases, affiliation)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.affiliation);
END;

CREATE TRIGGER search_headings_update AFTER UPDATE ON search_documents BEGIN
    INSERT INTO paper_headings (paper_headings, rowid, title, keywords, aliases, affiliation)
    VALUES ('delete', old.paper_id, old.title, old.keywords, old.aliases, old.affiliation);
    INSERT INTO paper_headings (rowid, title, keywords, aliases, affiliation)
    VALUES (new.paper_id, new.title, new.keywords, new.aliases, new.affiliation);
END;
