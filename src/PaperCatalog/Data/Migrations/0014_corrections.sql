-- A reader may suggest a correction of a published paper: a submission that proposes new values for that paper's
-- fields. Approving it updates the paper (through the same writer as a moderator's edit) instead of adding one.
-- corrects_paper_id names the paper; it becomes NULL when the paper is deleted, and is_correction keeps saying what
-- the submission was, so a correction of a deleted paper can never be approved as a new paper.
ALTER TABLE submissions ADD COLUMN is_correction INTEGER NOT NULL DEFAULT 0 CHECK (is_correction IN (0, 1));
ALTER TABLE submissions ADD COLUMN corrects_paper_id INTEGER NULL REFERENCES papers(id) ON DELETE SET NULL;
