-- A reader may suggest a correction of a published paper: a submission that proposes new values for that paper's
-- fields. Approving it updates the paper (through the same writer as a moderator's edit) instead of adding one.
-- corrects_paper_id names the paper; it becomes NULL when the paper is deleted, and is_correction keeps saying what
-- the submission was, so a correction of a deleted paper can never be approved as a new paper.
ALTER TABLE submissions ADD COLUMN is_correction INTEGER NOT NULL DEFAULT 0 CHECK (is_correction IN (0, 1));
ALTER TABLE submissions ADD COLUMN corrects_paper_id INTEGER NULL REFERENCES papers(id) ON DELETE SET NULL;

-- The catalog's shape (/stats) groups every paper by topic, year and affiliation and ranks them by citations. Over the
-- table that reads every row with its intro (some 60 MB at 20,000 papers with 1-2 KB intros); over this index, which
-- holds just those columns, a few hundred KB. (The shape page and corrections arrived together; one migration for both.)
CREATE INDEX ix_papers_shape ON papers(topic_id, published, affiliation, citations);
