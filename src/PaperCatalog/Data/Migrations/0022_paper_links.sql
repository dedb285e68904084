-- Related papers' "links here" (issue 14): the papers each intro links to, as the slugs of its rendered links
-- (href="/papers/{slug}"), so the papers whose intros link to a paper are found by one lookup instead of a scan of
-- every intro. The paper writer keeps it in the paper's own transaction (import, approval, edit); the migration's code
-- step fills it from the stored intros.
CREATE TABLE paper_links (
    target   TEXT    NOT NULL,
    paper_id INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    PRIMARY KEY (target, paper_id)
) WITHOUT ROWID;
-- A paper's own links, for rewriting them and for the cascade when it is deleted.
CREATE INDEX ix_paper_links_paper ON paper_links(paper_id);
