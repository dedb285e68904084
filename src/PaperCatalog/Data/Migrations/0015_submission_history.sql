-- The decided submissions' history (the moderators' /admin/history) pages newest decision first; this index gives
-- that order without sorting every decision ever made. Pending rows have no decision and stay out of it.
CREATE INDEX ix_submissions_decided ON submissions(decided_at DESC, id DESC) WHERE status <> 'pending';
