-- Each paper keeps its citation key before it is told apart from other papers' (CitationKeys.Of: surname, year, first
-- title word), so that citing one paper reads only the papers whose keys start the same way through this index,
-- instead of computing the key of every paper in the catalog (2.5 s and 134 MB at 100,000 papers). The values of the
-- papers already stored are computed by the migration's code step (CatalogDatabase, CitationQueries.FillBasesAsync).
ALTER TABLE papers ADD COLUMN citation_base TEXT;
CREATE INDEX ix_papers_citation_base ON papers (citation_base, added_at, slug);
