-- What the list says about itself: its title and the curator's description, shown on the home page.
CREATE TABLE catalog_info (
    key   TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
