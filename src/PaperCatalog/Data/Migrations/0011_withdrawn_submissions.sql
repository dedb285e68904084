-- A submitter may withdraw a pending submission from its status page. The status column's CHECK (0004) cannot be
-- widened without rebuilding the table (and every later migration's columns, triggers and indexes on it), so a
-- withdrawal is stored as a decision with no moderator (status 'rejected', decided_by NULL) plus the time it was
-- withdrawn; SubmissionStore reads such a row's status as 'withdrawn'. Leaving 'pending' takes it out of the queue
-- and, through the 0006 triggers, out of the duplicate check's pending titles.
ALTER TABLE submissions ADD COLUMN withdrawn_at TEXT NULL;
