-- The catalog as the list describes it: topics, papers, keywords, and the images beside each intro.
CREATE TABLE topics (
    id            INTEGER PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    citation_date TEXT    NULL,            -- ISO date the citation counts were read
    upcoming      TEXT    NOT NULL DEFAULT '' -- comma-separated upcoming topics
);

CREATE TABLE papers (
    id             INTEGER PRIMARY KEY,
    slug           TEXT    NOT NULL UNIQUE,
    topic_id       INTEGER NOT NULL REFERENCES topics(id),
    position       INTEGER NOT NULL,
    title          TEXT    NOT NULL,
    title_key      TEXT    NOT NULL,       -- title folded for matching across imports
    venue          TEXT    NULL,
    pdf_url        TEXT    NULL,
    intro_url      TEXT    NULL,           -- external intro link when the intro is not part of the list
    arxiv_id       TEXT    NULL,
    affiliation    TEXT    NULL,
    published      TEXT    NULL,           -- YYYY.MM
    citations      INTEGER NULL,           -- NULL means unknown, not zero
    intro_markdown TEXT    NULL,
    intro_html     TEXT    NULL,           -- rendered and sanitised once, at import
    origin         TEXT    NOT NULL DEFAULT 'list' CHECK (origin IN ('list', 'site')),
    content_hash   TEXT    NOT NULL,
    added_at       TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);
CREATE INDEX ix_papers_topic ON papers(topic_id, position);
CREATE INDEX ix_papers_arxiv ON papers(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX ix_papers_added ON papers(added_at DESC);

CREATE TABLE keywords (
    id   INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE paper_keywords (
    paper_id   INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    keyword_id INTEGER NOT NULL REFERENCES keywords(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (paper_id, keyword_id)
) WITHOUT ROWID;
CREATE INDEX ix_paper_keywords_keyword ON paper_keywords(keyword_id);

CREATE TABLE paper_media (
    paper_id     INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    path         TEXT    NOT NULL,         -- path relative to the intro's folder, '/'-separated
    content_type TEXT    NOT NULL,
    bytes        BLOB    NOT NULL,
    PRIMARY KEY (paper_id, path)
);
