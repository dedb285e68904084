-- Moderators' sign-ins become sessions the server can end, and failed sign-ins are counted per client instead of per
-- account (the account-wide lock let anyone keep a moderator out with five requests).

-- One row per signed-in browser. The id is 128 random bits, carried in the cookie's claims and looked up on every
-- request; without the data-protection key the id alone makes no cookie. Ending a session deletes its row.
CREATE TABLE moderator_sessions (
    id           TEXT    NOT NULL PRIMARY KEY,
    moderator_id INTEGER NOT NULL REFERENCES moderators(id) ON DELETE CASCADE,
    client       TEXT    NOT NULL,              -- the address it signed in from
    created_at   TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL               -- the absolute end: sliding renewal never passes it
) WITHOUT ROWID;
CREATE INDEX ix_moderator_sessions_moderator ON moderator_sessions(moderator_id);
CREATE INDEX ix_moderator_sessions_expires ON moderator_sessions(expires_at);

-- Failed sign-ins per scope: 'client <address>' (any name), or 'name <address> <SHA-256 of the folded name>' (typed names
-- are not stored: an unknown one may be a password typed into the wrong field).
CREATE TABLE sign_in_failures (
    scope        TEXT    NOT NULL PRIMARY KEY,
    failures     INTEGER NOT NULL,
    first_at     TEXT    NOT NULL,              -- when this run of failures began; older runs are forgotten
    locked_until TEXT    NULL
) WITHOUT ROWID;
CREATE INDEX ix_sign_in_failures_first ON sign_in_failures(first_at);

ALTER TABLE moderators DROP COLUMN failed_count;
ALTER TABLE moderators DROP COLUMN locked_until;
