-- Semantic search (src/PaperCatalog/Semantic): each paper's embedding, kept in the store so it stays one file.
-- text_hash is the hash of the text the vector is computed from (title, keywords and intro as the search index reads
-- them); the writer of papers sets it in the paper's own transaction and clears the vector when it changed, so an
-- import stays atomic and an unchanged paper keeps its vector. The site computes missing vectors in the background
-- (a store made before this migration has none: every paper is missing one). vector is float32, little-endian.
CREATE TABLE paper_vectors (
    paper_id  INTEGER PRIMARY KEY REFERENCES papers(id) ON DELETE CASCADE,
    text_hash TEXT    NOT NULL,
    vector    BLOB    NULL
);
-- The papers waiting for a vector, found without reading the vectors.
CREATE INDEX ix_paper_vectors_pending ON paper_vectors(paper_id) WHERE vector IS NULL;
