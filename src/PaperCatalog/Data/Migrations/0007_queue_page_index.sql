-- A queue page comes from this index alone, excerpt included: a row's later columns sit behind its intro's overflow
-- pages (a 64 KB intro and its HTML are some fifty of them), so reading intro_excerpt from the row costs a chain walk
-- per row. status is an indexed column too, so SQLite sees the index as covering.
DROP INDEX ix_submissions_pending;
CREATE INDEX ix_submissions_queue ON submissions(status, created_at, id, intro_excerpt) WHERE status = 'pending';
