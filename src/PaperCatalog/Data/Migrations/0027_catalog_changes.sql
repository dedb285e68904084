-- A count of writes to what public pages show (issue 12: caches follow the catalog, not the whole store). The store
-- watcher of every node reads SQLite's data_version twice a second, and when it moved, this count: only a change here
-- empties the output and front caches. Writes to private tables (submissions, moderators and their sessions, sign-in
-- failures, the audit log, the pending-title index, import_state) change data_version but not this count, so a
-- submission, a sign-in or a failed password no longer empties every reader's cache. Every ordinary table is either
-- counted here or named private in CatalogChangesTests, which fails for a new table that is neither.
CREATE TABLE catalog_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO catalog_changes (id, n) VALUES (1, 0);

CREATE TRIGGER catalog_changes_catalog_info_insert AFTER INSERT ON catalog_info BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_catalog_info_update AFTER UPDATE ON catalog_info BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_catalog_info_delete AFTER DELETE ON catalog_info BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_intro_files_insert AFTER INSERT ON intro_files BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_intro_files_update AFTER UPDATE ON intro_files BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_intro_files_delete AFTER DELETE ON intro_files BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_keywords_insert AFTER INSERT ON keywords BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_keywords_update AFTER UPDATE ON keywords BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_keywords_delete AFTER DELETE ON keywords BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_list_rows_insert AFTER INSERT ON list_rows BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_list_rows_update AFTER UPDATE ON list_rows BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_list_rows_delete AFTER DELETE ON list_rows BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_list_source_insert AFTER INSERT ON list_source BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_list_source_update AFTER UPDATE ON list_source BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_list_source_delete AFTER DELETE ON list_source BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_figures_insert AFTER INSERT ON paper_figures BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_figures_update AFTER UPDATE ON paper_figures BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_figures_delete AFTER DELETE ON paper_figures BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_keywords_insert AFTER INSERT ON paper_keywords BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_keywords_update AFTER UPDATE ON paper_keywords BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_keywords_delete AFTER DELETE ON paper_keywords BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_links_insert AFTER INSERT ON paper_links BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_links_update AFTER UPDATE ON paper_links BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_links_delete AFTER DELETE ON paper_links BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_media_insert AFTER INSERT ON paper_media BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_media_update AFTER UPDATE ON paper_media BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_media_delete AFTER DELETE ON paper_media BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_vectors_insert AFTER INSERT ON paper_vectors BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_vectors_update AFTER UPDATE ON paper_vectors BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_paper_vectors_delete AFTER DELETE ON paper_vectors BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_papers_insert AFTER INSERT ON papers BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_papers_update AFTER UPDATE ON papers BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_papers_delete AFTER DELETE ON papers BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_search_documents_insert AFTER INSERT ON search_documents BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_search_documents_update AFTER UPDATE ON search_documents BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_search_documents_delete AFTER DELETE ON search_documents BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_search_index_paused_insert AFTER INSERT ON search_index_paused BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_search_index_paused_update AFTER UPDATE ON search_index_paused BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_search_index_paused_delete AFTER DELETE ON search_index_paused BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_topics_insert AFTER INSERT ON topics BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_topics_update AFTER UPDATE ON topics BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_changes_topics_delete AFTER DELETE ON topics BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END;
