-- What `catalog export` needs to write the list back as the curator wrote it: the list file's text as imported (its
-- prose, headings, tables and every row's original line), and for each list paper the line of its row in that text and
-- where its intro lives. Rewritten by every import; a paper the site deletes takes its row mapping with it.
CREATE TABLE list_source (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    file_name TEXT    NOT NULL,               -- the list file's name, e.g. README.md
    text      TEXT    NOT NULL,
    bom       INTEGER NOT NULL DEFAULT 0      -- 1 when the file began with a UTF-8 byte order mark
);

CREATE TABLE list_rows (
    paper_id   INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,              -- 1-based line of the paper's row in list_source.text
    intro_path TEXT    NULL                   -- the intro's path relative to the list's folder, '/'-separated
);
