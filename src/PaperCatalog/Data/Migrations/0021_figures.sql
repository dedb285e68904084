-- A submission may carry a figure, and a paper may have one (shown above its intro). Both hold the image as the site
-- re-encoded it (Figures/FigureImages.cs), never the upload's own bytes. Kept out of the submissions and papers rows,
-- so the queue's and the tables' scans never step over a megabyte of image.
CREATE TABLE submission_figures (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions(id) ON DELETE CASCADE,
    content_type  TEXT    NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    bytes         BLOB    NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    description   TEXT    NOT NULL,            -- the image's alternative text, as the submitter wrote it
    digest        TEXT    NOT NULL             -- SHA-256 of bytes (hex): the served name, so a new figure gets a new address
);

-- A paper's figure is one of its images (paper_media, served like an intro's images at /papers/{slug}/media/{path});
-- this row says which, and how to show it. An import that replaces a list paper's images takes its figure with them.
CREATE TABLE paper_figures (
    paper_id    INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    path        TEXT    NOT NULL,
    width       INTEGER NOT NULL,
    height      INTEGER NOT NULL,
    description TEXT    NOT NULL,
    FOREIGN KEY (paper_id, path) REFERENCES paper_media(paper_id, path) ON DELETE CASCADE
);
