-- Submissions from readers, moderator accounts, and the record of every moderation action.
ALTER TABLE papers ADD COLUMN doi TEXT NULL;
CREATE INDEX ix_papers_doi ON papers(doi) WHERE doi IS NOT NULL;
CREATE INDEX ix_papers_title_key ON papers(title_key);

CREATE TABLE submissions (
    id              INTEGER PRIMARY KEY,
    token           TEXT    NOT NULL UNIQUE,       -- the submitter's private status link
    idempotency_key TEXT    NOT NULL UNIQUE,       -- from the form, so a double click or a retry makes one submission
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    title           TEXT    NOT NULL,
    title_key       TEXT    NOT NULL,
    link            TEXT    NOT NULL,
    arxiv_id        TEXT    NULL,
    doi             TEXT    NULL,
    topic_slug      TEXT    NULL,                  -- an existing topic, or NULL with new_topic set
    new_topic       TEXT    NULL,
    keywords        TEXT    NOT NULL,              -- comma-separated, as typed
    affiliation     TEXT    NOT NULL,
    published       TEXT    NOT NULL,              -- YYYY.MM
    venue           TEXT    NULL,
    citations       INTEGER NULL,
    intro_markdown  TEXT    NULL,
    submitter_name  TEXT    NULL,
    submitter_email TEXT    NULL,                  -- never shown publicly
    created_at      TEXT    NOT NULL,
    decided_at      TEXT    NULL,
    decided_by      TEXT    NULL,
    moderator_note  TEXT    NULL,
    paper_id        INTEGER NULL REFERENCES papers(id) ON DELETE SET NULL
);
CREATE INDEX ix_submissions_pending ON submissions(status, created_at);
CREATE INDEX ix_submissions_arxiv ON submissions(arxiv_id) WHERE arxiv_id IS NOT NULL;
CREATE INDEX ix_submissions_doi ON submissions(doi) WHERE doi IS NOT NULL;
CREATE INDEX ix_submissions_title_key ON submissions(title_key);

CREATE TABLE moderators (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT    NOT NULL,
    failed_count  INTEGER NOT NULL DEFAULT 0,
    locked_until  TEXT    NULL,
    created_at    TEXT    NOT NULL
);

CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT    NOT NULL,
    moderator TEXT    NOT NULL,
    action    TEXT    NOT NULL,                    -- approve, reject, edit-paper, delete-paper, topic-date, sign-in, ...
    target    TEXT    NOT NULL,
    details   TEXT    NOT NULL DEFAULT ''          -- what changed, "field: old → new" lines
);
CREATE INDEX ix_audit_at ON audit_log(at DESC);
