"""Schema migrations: entry ``n`` takes a database from version ``n`` to ``n + 1``.

Never edit a released entry; append a new one. ``PRAGMA user_version`` holds the version.
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, full-text index, rejections, analyses, stories, stage state
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        seq INTEGER UNIQUE NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        url TEXT,
        outlet TEXT,
        published TEXT,
        language TEXT,
        source TEXT NOT NULL,
        format TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles (published);
    CREATE VIRTUAL TABLE articles_fts USING fts5 (title, text, tokenize = 'unicode61 remove_diacritics 0');
    CREATE TABLE rejections (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        stage TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE docs (
        article_id TEXT PRIMARY KEY REFERENCES articles (id),
        stages TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first TEXT,
        last TEXT,
        size INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE story_articles (
        story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles (id),
        PRIMARY KEY (story_id, article_id)
    );
    CREATE INDEX story_articles_article ON story_articles (article_id);
    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: the input an article was read from (source + raw), so reading the same input again
    # with other cleaning rules is a duplicate, not a second article (filled in by the store)
    """
    ALTER TABLE articles ADD COLUMN input_key TEXT;
    CREATE INDEX articles_input ON articles (input_key);
    """,
    # 3: earlier versions of articles read again under newer rules (``lagebild reread``)
    """
    CREATE TABLE rereads (
        id INTEGER PRIMARY KEY,
        old_id TEXT NOT NULL,
        new_id TEXT NOT NULL,
        at TEXT NOT NULL,
        old_data TEXT NOT NULL
    );
    CREATE INDEX rereads_new ON rereads (new_id);
    """,
    # 4: per-story change log (``lagebild news``): what each tracking pass found new, the
    # last state seen of every story, and which story each article was first seen in. A
    # corpus stored before this version is taken as known: its first pass logs no changes.
    """
    CREATE TABLE story_changes (
        id INTEGER PRIMARY KEY,
        story_id TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        item TEXT NOT NULL,
        detail TEXT NOT NULL
    );
    CREATE INDEX story_changes_story ON story_changes (story_id, id);
    CREATE INDEX story_changes_at ON story_changes (at);
    CREATE TABLE story_digests (
        story_id TEXT PRIMARY KEY,
        outlets TEXT NOT NULL,
        first TEXT,
        last TEXT,
        size INTEGER NOT NULL
    );
    CREATE TABLE tracked_articles (
        article_id TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        outlet TEXT,
        at TEXT NOT NULL
    );
    CREATE INDEX tracked_articles_story ON tracked_articles (story_id);
    INSERT INTO state (key, value)
        SELECT 'changes.baseline', 'true' WHERE EXISTS (SELECT 1 FROM stories);
    """,
    # 5: sources that ``lagebild watch`` polls (validators, schedule, errors) and the items
    # it has read from each (feed entries, files), so a restart fetches nothing twice
    """
    CREATE TABLE watch_sources (
        source TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_fetched TEXT,
        last_new TEXT,
        last_status TEXT,
        next_due TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        polls INTEGER NOT NULL DEFAULT 0,
        not_modified INTEGER NOT NULL DEFAULT 0,
        added INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE watch_items (
        source TEXT NOT NULL,
        item TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (source, item)
    );
    """,
    # 6: saved alerts (``lagebild alerts``) and every firing, one per alert and change
    """
    CREATE TABLE alerts (
        id INTEGER PRIMARY KEY,
        name TEXT UNIQUE NOT NULL,
        target_kind TEXT NOT NULL,
        target TEXT NOT NULL,
        conditions TEXT NOT NULL,
        sinks TEXT NOT NULL,
        created TEXT NOT NULL,
        checked_through INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE alert_firings (
        id INTEGER PRIMARY KEY,
        alert_id INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        at TEXT NOT NULL,
        payload TEXT NOT NULL,
        delivered TEXT NOT NULL,
        UNIQUE (alert_id, key)
    );
    """,
    # 7: the store's canonical entities, precomputed when the stories change, so entity
    # lists and pages read rows instead of merging every analysis (``entities.index``)
    """
    CREATE TABLE entity_index (
        id TEXT PRIMARY KEY,
        rank INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX entity_index_rank ON entity_index (rank);
    CREATE TABLE entity_mentions (
        entity_id TEXT NOT NULL,
        article_id TEXT NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        caption INTEGER
    );
    CREATE INDEX entity_mentions_entity ON entity_mentions (entity_id);
    CREATE INDEX entity_mentions_article ON entity_mentions (article_id);
    """,
    # 8: the story list's precomputed rows and facet terms (web pages, /api/stories): one row
    # per story with its sort keys, one term per outlet, language and entity. Triggers mark a
    # story whose row changed as dirty; the app refreshes dirty rows after clustering (and a
    # reader before listing), so a database from before this version is indexed on first use.
    """
    CREATE TABLE story_index (
        story_id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        first TEXT,
        last TEXT,
        articles INTEGER NOT NULL,
        originals INTEGER NOT NULL,
        outlets INTEGER NOT NULL,
        divergences INTEGER NOT NULL,
        changed TEXT,
        data TEXT NOT NULL
    );
    CREATE INDEX story_index_last ON story_index (last);
    CREATE INDEX story_index_changed ON story_index (changed);
    CREATE TABLE story_terms (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        story_id TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (kind, key, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX story_terms_story ON story_terms (story_id);
    CREATE TABLE story_dirty (story_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TRIGGER story_dirty_insert AFTER INSERT ON stories
        BEGIN INSERT OR IGNORE INTO story_dirty VALUES (new.id); END;
    CREATE TRIGGER story_dirty_update AFTER UPDATE ON stories
        BEGIN INSERT OR IGNORE INTO story_dirty VALUES (new.id); END;
    CREATE TRIGGER story_dirty_delete AFTER DELETE ON stories
        BEGIN INSERT OR IGNORE INTO story_dirty VALUES (old.id); END;
    INSERT INTO story_dirty SELECT id FROM stories;
    """,
    # 9: the search index (``store/search.py``): titles and texts with diacritics folded
    # (Erdoğan = Erdogan, München = Munchen), over the articles table itself (no second copy
    # of the texts) and kept in step with it by triggers; filled from the stored articles.
    """
    CREATE VIRTUAL TABLE articles_search USING fts5 (
        title, text, content='articles', content_rowid='seq',
        tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_search (rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_search (articles_search, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
    END;
    CREATE TRIGGER articles_search_update AFTER UPDATE OF title, text, seq ON articles BEGIN
        INSERT INTO articles_search (articles_search, rowid, title, text)
            VALUES ('delete', old.seq, old.title, old.text);
        INSERT INTO articles_search (rowid, title, text) VALUES (new.seq, new.title, new.text);
    END;
    INSERT INTO articles_search (articles_search) VALUES ('rebuild');
    """,
    # 10: compact records: analyses and articles as MessagePack (store/codec.py; existing rows
    # are converted by the store), an article's title and text kept once (its columns), and
    # the full-text index over the articles table instead of a second copy of every text
    """
    DROP TABLE articles_fts;
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, text, content = 'articles', content_rowid = 'seq',
        tokenize = 'unicode61 remove_diacritics 0'
    );
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    """,
    # 11: indexes that let the list pages read one page, not the whole table: articles by
    # outlet, language and date (the date as the list sorts it), story rows by each sorting;
    # and the facet counts of the unfiltered story list, rewritten with the story rows
    """
    CREATE INDEX IF NOT EXISTS articles_outlet ON articles (outlet);
    CREATE INDEX IF NOT EXISTS articles_language ON articles (language);
    CREATE INDEX IF NOT EXISTS articles_latest ON articles (COALESCE(published, ''), seq);
    CREATE INDEX IF NOT EXISTS story_index_latest ON story_index (COALESCE(last, ''), articles, story_id);
    CREATE INDEX IF NOT EXISTS story_index_largest ON story_index (articles, COALESCE(last, ''), story_id);
    CREATE INDEX IF NOT EXISTS story_index_outlets ON story_index (outlets, articles, story_id);
    CREATE INDEX IF NOT EXISTS story_index_recent
        ON story_index (COALESCE(changed, ''), COALESCE(last, ''), story_id);
    CREATE INDEX IF NOT EXISTS story_index_divergent ON story_index (divergences);
    CREATE TABLE IF NOT EXISTS story_facets (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS story_facets_n ON story_facets (kind, n);
    INSERT OR REPLACE INTO story_facets (kind, key, value, n)
        SELECT kind, key, MIN(value), COUNT(*) FROM story_terms GROUP BY kind, key;
    """,
    # 12: rendered dossiers per story version (``store/dossiers.py``), shared by the web server,
    # ``lagebild dossier`` and a watcher; a story's texts go in the transaction that changes the
    # story, its articles, their analyses or its change log (idempotent, as 11)
    """
    CREATE TABLE IF NOT EXISTS dossier_cache (
        story_id TEXT NOT NULL,
        format TEXT NOT NULL,
        key TEXT NOT NULL,
        body BLOB NOT NULL,
        size INTEGER NOT NULL,
        made TEXT NOT NULL,
        PRIMARY KEY (story_id, format)
    ) WITHOUT ROWID;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_story_insert AFTER INSERT ON stories
        BEGIN DELETE FROM dossier_cache WHERE story_id = new.id; END;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_story_update AFTER UPDATE ON stories
        BEGIN DELETE FROM dossier_cache WHERE story_id IN (old.id, new.id); END;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_story_delete AFTER DELETE ON stories
        BEGIN DELETE FROM dossier_cache WHERE story_id = old.id; END;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_article_update AFTER UPDATE ON articles BEGIN
        DELETE FROM dossier_cache WHERE story_id IN
            (SELECT story_id FROM story_articles WHERE article_id IN (old.id, new.id));
    END;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_doc_insert AFTER INSERT ON docs BEGIN
        DELETE FROM dossier_cache WHERE story_id IN
            (SELECT story_id FROM story_articles WHERE article_id = new.article_id);
    END;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_doc_update AFTER UPDATE ON docs BEGIN
        DELETE FROM dossier_cache WHERE story_id IN
            (SELECT story_id FROM story_articles WHERE article_id IN (old.article_id, new.article_id));
    END;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_doc_delete AFTER DELETE ON docs BEGIN
        DELETE FROM dossier_cache WHERE story_id IN
            (SELECT story_id FROM story_articles WHERE article_id = old.article_id);
    END;
    CREATE TRIGGER IF NOT EXISTS dossier_cache_change AFTER INSERT ON story_changes
        BEGIN DELETE FROM dossier_cache WHERE story_id = new.story_id; END;
    """,
    # 13: the store's entities kept current by parts (``entities/update.py``): what each story
    # contributed to each entity, every entity's tally and the keys it is found by, and the
    # stories whose entities must be resolved again (marked by triggers); rank ties by name.
    # And what a story that grew had (facts, divergences, statements) when the change log
    # last compared it, so the next pass compares with that instead of working it out again
    """
    CREATE TABLE IF NOT EXISTS entity_tally (
        entity_id TEXT PRIMARY KEY,
        data BLOB NOT NULL,
        articles BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS entity_parts (
        story_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        data BLOB NOT NULL,
        articles BLOB NOT NULL,
        PRIMARY KEY (story_id, entity_id)
    );
    CREATE INDEX IF NOT EXISTS entity_parts_entity ON entity_parts (entity_id);
    CREATE TABLE IF NOT EXISTS entity_keys (
        key TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (key, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS entity_keys_entity ON entity_keys (entity_id);
    CREATE TABLE IF NOT EXISTS entity_dirty (story_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TRIGGER IF NOT EXISTS entity_dirty_insert AFTER INSERT ON stories
        BEGIN INSERT OR IGNORE INTO entity_dirty VALUES (new.id); END;
    CREATE TRIGGER IF NOT EXISTS entity_dirty_update AFTER UPDATE ON stories
        BEGIN INSERT OR IGNORE INTO entity_dirty VALUES (new.id); END;
    CREATE TRIGGER IF NOT EXISTS entity_dirty_delete AFTER DELETE ON stories
        BEGIN INSERT OR IGNORE INTO entity_dirty VALUES (old.id); END;
    CREATE TRIGGER IF NOT EXISTS entity_dirty_doc AFTER INSERT ON docs BEGIN
        INSERT OR IGNORE INTO entity_dirty
            SELECT story_id FROM story_articles WHERE article_id = new.article_id;
    END;
    DROP INDEX IF EXISTS entity_index_rank;
    CREATE INDEX IF NOT EXISTS entity_index_order ON entity_index (rank, name);
    CREATE TABLE IF NOT EXISTS story_content (story_id TEXT PRIMARY KEY, data TEXT NOT NULL);
    """,
    # 14: story ids that no longer exist (merged into another story, or gone in a clustering
    # from scratch) point to the story that holds their articles now, so old links resolve
    """
    CREATE TABLE IF NOT EXISTS story_redirects (
        old_id TEXT PRIMARY KEY,
        new_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 15: one full-text index: ``articles_search`` (migration 9, diacritics folded) answers
    # every search; the older ``articles_fts`` over the same texts (~2 MB per 1,000 articles)
    # goes
    """
    DROP TABLE IF EXISTS articles_fts;
    """,
    # 16: the entity tables compact: an entity's article ids kept once (in its tally, 8 bytes
    # each, outlet names once per tally; ``entities/update.py``) instead of also in its row.
    # Older rows still read; the tables are built again by the next reader or ingest (their
    # state is dropped) so they shrink now
    """
    DELETE FROM state WHERE key = 'entities.index';
    """,
    # 17: an entity page's co-occurring entities and an update's removal of one story's
    # mentions look mentions up by article and entity: one index on both (it also answers
    # every lookup by article alone, so the index on the article goes)
    """
    CREATE INDEX IF NOT EXISTS entity_mentions_article_entity
        ON entity_mentions (article_id, entity_id);
    DROP INDEX IF EXISTS entity_mentions_article;
    """,
    # 18: an entity whose every mention is a tagger guess below its confidence floor
    # (``entities.update.DOUBT_BELOW``) is kept but listed only on request. The rows are
    # derived data: the table is made again with the flag (so the step also holds on a store
    # that has it) and filled by the next reader or ingest (its state is dropped)
    """
    DROP TABLE IF EXISTS entity_index;
    CREATE TABLE entity_index (
        id TEXT PRIMARY KEY,
        rank INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        data TEXT NOT NULL,
        doubtful INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX entity_index_order ON entity_index (rank, name);
    DELETE FROM state WHERE key = 'entities.index';
    """,
    # 19: the entity tables compact (~3.4 of 25.8 MB per 1,000 10kGNAD articles): the other
    # entity tables name an entity by its row number in entity_index (``n``) instead of its
    # 12-character id, a mention's article id is kept as 8 bytes (``entities.index.
    # article_key``), parts are keyed without a second copy of the key (WITHOUT ROWID) and
    # tallies are compressed (their name forms repeat the same words). Derived data: the
    # tables are made anew and filled by the next reader or ingest (their state is dropped)
    """
    DROP TABLE IF EXISTS entity_index;
    DROP TABLE IF EXISTS entity_mentions;
    DROP TABLE IF EXISTS entity_tally;
    DROP TABLE IF EXISTS entity_parts;
    DROP TABLE IF EXISTS entity_keys;
    CREATE TABLE entity_index (
        n INTEGER PRIMARY KEY,
        id TEXT UNIQUE NOT NULL,
        rank INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        articles INTEGER NOT NULL,
        data TEXT NOT NULL,
        doubtful INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX entity_index_order ON entity_index (rank, name);
    CREATE TABLE entity_tally (
        entity INTEGER PRIMARY KEY,
        data BLOB NOT NULL,
        articles BLOB NOT NULL
    );
    CREATE TABLE entity_parts (
        story_id TEXT NOT NULL,
        entity INTEGER NOT NULL,
        data BLOB NOT NULL,
        articles BLOB NOT NULL,
        PRIMARY KEY (story_id, entity)
    ) WITHOUT ROWID;
    CREATE INDEX entity_parts_entity ON entity_parts (entity);
    CREATE TABLE entity_keys (
        key TEXT NOT NULL,
        entity INTEGER NOT NULL,
        PRIMARY KEY (key, entity)
    ) WITHOUT ROWID;
    CREATE INDEX entity_keys_entity ON entity_keys (entity);
    CREATE TABLE entity_mentions (
        entity INTEGER NOT NULL,
        article BLOB NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        source TEXT NOT NULL,
        caption INTEGER
    );
    CREATE INDEX entity_mentions_entity ON entity_mentions (entity);
    CREATE INDEX entity_mentions_article_entity ON entity_mentions (article, entity);
    DELETE FROM entity_dirty;
    DELETE FROM state WHERE key = 'entities.index';
    """,
    # 20: article texts stored compressed (``codec.encode_text``: ~1.3 of 2.65 MB per 1,000
    # 10kGNAD articles saved) and the search index contentless: it keeps its terms, not the
    # texts, and the store gives it each text as it stores or replaces an article (a trigger
    # could only pass the compressed bytes). The texts are compressed and indexed anew by
    # ``Store`` in the same transaction as these statements (``MIGRATION_STEPS``)
    """
    DROP TRIGGER IF EXISTS articles_search_insert;
    DROP TRIGGER IF EXISTS articles_search_delete;
    DROP TRIGGER IF EXISTS articles_search_update;
    DROP TABLE IF EXISTS articles_search;
    CREATE VIRTUAL TABLE articles_search USING fts5 (
        title, text, content = '', tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
    # 21: story records compact (``codec.encode_story``: MessagePack without the id and
    # title the columns hold; ~0.25 of 0.40 MB per 1,000 10kGNAD articles saved), rewritten
    # by ``Store`` in the same transaction (``MIGRATION_STEPS``); JSON rows still read
    """
    -- no change of the tables: the rows are rewritten by Store._compact_stories
    """,
    # 22: the story list's rows compact (``listing.pack_row_data``: one MessagePack array,
    # without the title its column holds; ~0.2 of 0.74 MB per 1,000 10kGNAD articles),
    # rewritten by ``Store`` in the same transaction; JSON rows still read
    """
    -- no change of the tables: the rows are rewritten by Store._compact_story_rows
    """,
    # 23: analyses stored before ``codec.encode_doc`` packed them with their text and the
    # codec's words as zlib dictionary repacked so (the same MessagePack inside; ~0.6 of
    # 3.2 MB per 1,000 10kGNAD articles), by ``Store`` in the same transaction
    """
    -- no change of the tables: the rows are repacked by Store._repack_analyses
    """,
    # 24: redirects found by the story they point to: ``put_stories`` repoints the redirects
    # to each story merged away, and without this index each repointing read every redirect
    # there ever was (97 s of a 50k-article clustering's write; 1,000 merges at 48k
    # redirects 3.3 s -> 0.005 s)
    """
    CREATE INDEX IF NOT EXISTS story_redirects_new ON story_redirects (new_id);
    """,
    # 25: the search index given its texts with the letters FTS5 does not fold (ł, ø, đ, ı)
    # folded (``text.fold.index_form``), so Lodz finds Łódź; rebuilt by ``Store._reindex``.
    # ``fold`` now maps those letters too: stories whose list keys hold one are listed anew
    """
    INSERT OR IGNORE INTO story_dirty SELECT DISTINCT story_id FROM story_terms
        WHERE instr(key, 'ł') OR instr(key, 'ø') OR instr(key, 'đ') OR instr(key, 'ı');
    """,
    # 26: a story row keeps the names of its entities beyond the 12 it shows (``listing.
    # row_terms`` makes its terms from the row), so a row's terms are found from the row when
    # it is replaced and their index by story goes (~0.5 of 1.7 MB per 1,000 10kGNAD
    # articles); the rows are completed from their terms by ``Store`` in the same transaction
    """
    DROP INDEX IF EXISTS story_terms_story;
    """,
    # 27: entity rows' data compact (``entities.index.pack_data``: one MessagePack array
    # instead of a JSON object repeating its keys), rewritten by ``Store`` in the same
    # transaction; JSON rows still read
    """
    -- no change of the tables: the rows are rewritten by Store._pack_entity_rows
    """,
    # 28: entity parts name their story by its 8 bytes (``entities.index.article_key``, as
    # mentions name their article; ~0.2 MB per 1,000 10kGNAD articles), and the search index
    # merged into one segment; by ``Store`` in the same transaction
    """
    -- no change of the tables: the rows are rewritten by Store._compact_entity_parts
    """,
    # 29: article records without the fields their columns hold as well (id, source, format,
    # url, outlet, published, language; ``codec.ARTICLE_COLUMNS``: ~0.15 MB per 1,000
    # articles), rewritten by ``Store`` in the same transaction; whole records still read
    """
    -- no change of the tables: the rows are rewritten by Store._articles_without_columns
    """,
    # 30: article texts packed with a zlib dictionary learned from the store's first 200
    # articles (``codec.learn_text_dict``: ~19 % fewer text bytes on 10kGNAD), kept here and
    # named in each text's zlib header; a store of 200 articles or more learns it now and
    # packs its texts anew (by ``Store`` in the same transaction), a smaller one when it
    # reaches 200
    """
    CREATE TABLE IF NOT EXISTS text_dicts (id INTEGER PRIMARY KEY, dict BLOB NOT NULL);
    """,
    # 31: analyses in ``codec``'s format 2: a token is what a fixed word pattern finds next in
    # the text unless stored as an exception, a lemma an edit of its token, a sentence its
    # number of tokens, the records of a list columns (~42 % fewer bytes per analysis on
    # 10kGNAD); rewritten by ``Store`` in the same transaction; format 1 still reads
    """
    -- no change of the tables: the rows are rewritten by Store._analyses_v2
    """,
    # 32: the change log's details and digests' outlet lists as MessagePack (``codec.
    # pack_json``: ~0.05 of 1.1 MB per 1,000 10kGNAD articles), rewritten by ``Store`` in the
    # same transaction; JSON rows still read
    """
    -- no change of the tables: the rows are rewritten by Store._pack_change_log
    """,
    # 33: a person's name words as entity keys by their place: "f:" first, "l:" last (were
    # "w:" either), so that the entity update asks a bare name's surnames only
    # (``entities.update.probe_keys``); derived from the keys stored with each "w:" one: the
    # person's "p:first|last" pairs and its spelling's "=first ... last" key
    """
    INSERT OR IGNORE INTO entity_keys (key, entity)
        SELECT 'f:' || substr(key, 3, instr(key, '|') - 3), entity FROM entity_keys
        WHERE key >= 'p:' AND key < 'p;' AND instr(key, '|') > 0;
    INSERT OR IGNORE INTO entity_keys (key, entity)
        SELECT 'l:' || substr(key, instr(key, '|') + 1), entity FROM entity_keys
        WHERE key >= 'p:' AND key < 'p;' AND instr(key, '|') > 0;
    INSERT OR IGNORE INTO entity_keys (key, entity)
        SELECT 'f:' || substr(s.key, 1, instr(s.key, ' ') - 1), s.entity FROM entity_keys s
        WHERE s.key >= '=' AND s.key < '>' AND instr(s.key, ' ') > 0 AND EXISTS (
            SELECT 1 FROM entity_keys w
            WHERE w.key = 'w:' || substr(s.key, 1, instr(s.key, ' ') - 1) AND w.entity = s.entity);
    INSERT OR IGNORE INTO entity_keys (key, entity)
        SELECT 'l:=' || replace(s.key, rtrim(s.key, replace(s.key, ' ', '')), ''), s.entity
        FROM entity_keys s
        WHERE s.key >= '=' AND s.key < '>' AND instr(s.key, ' ') > 0 AND EXISTS (
            SELECT 1 FROM entity_keys w
            WHERE w.key = 'w:=' || replace(s.key, rtrim(s.key, replace(s.key, ' ', '')), '')
            AND w.entity = s.entity);
    DELETE FROM entity_keys WHERE key >= 'w:' AND key < 'w;';
    """,
    # 34: a lemma table learned from the store's first 200 analyses (``codec.
    # learn_lemma_table``: each token text's usual lemma code), kept here and named in each
    # analysis encoded with it (~19 % fewer bytes per analysis on 10kGNAD); a store of 200
    # analyses or more learns it now and rewrites its analyses (by ``Store`` in the same
    # transaction), a smaller one when it reaches 200
    """
    CREATE TABLE IF NOT EXISTS lemma_tables (id INTEGER PRIMARY KEY, data BLOB NOT NULL);
    """,
    # 35: story records without the first and last dates their columns hold (``codec.
    # encode_story``; ~0.06 of 0.5 MB per 1,000 10kGNAD articles), rewritten by ``Store`` in
    # the same transaction; records that hold them still read
    """
    -- no change of the tables: the rows are rewritten by Store._stories_without_dates
    """,
    # 36: raw input records packed with a dictionary learned from the store's first 200
    # articles (``codec.learn_raw_dict``: their raw records without title and text; ~0.09 MB
    # per 1,000 10kGNAD articles), kept here and named in each record packed with it; a store
    # of 200 articles or more learns it now and packs its records anew (by ``Store`` in the
    # same transaction), a smaller one when it reaches 200
    """
    CREATE TABLE IF NOT EXISTS raw_dicts (id INTEGER PRIMARY KEY, dict BLOB NOT NULL);
    """,
    # 37: the story index kept in rows by key instead of one state read and written whole by
    # every clustering run (~44 MB compressed, ~10 s of an ingest at 82k articles): its
    # vocabulary by term, its dormant stories by id with their postings, the articles it
    # placed; the state keeps the rest (``stories.state``). The state is converted by
    # ``Store`` in the same transaction
    """
    CREATE TABLE IF NOT EXISTS story_vocab (
        term TEXT PRIMARY KEY, counts INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS story_archive (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, data BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS story_archive_terms (
        term TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (term, seq)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS story_seen (id TEXT PRIMARY KEY) WITHOUT ROWID;
    """,
    # 38: the stories a change-log pass has to look at, marked when a story or its
    # articles are written (were found by joining every story and every article with what
    # the last pass saw: ~0.4 s per ingest at 100k articles); marked now: what that join finds
    """
    CREATE TABLE IF NOT EXISTS changes_dirty (story_id TEXT PRIMARY KEY) WITHOUT ROWID;
    CREATE TRIGGER IF NOT EXISTS changes_dirty_story_insert AFTER INSERT ON stories
        BEGIN INSERT OR IGNORE INTO changes_dirty VALUES (new.id); END;
    CREATE TRIGGER IF NOT EXISTS changes_dirty_story_update AFTER UPDATE ON stories
        BEGIN INSERT OR IGNORE INTO changes_dirty VALUES (new.id); END;
    CREATE TRIGGER IF NOT EXISTS changes_dirty_story_delete AFTER DELETE ON stories
        BEGIN INSERT OR IGNORE INTO changes_dirty VALUES (old.id); END;
    CREATE TRIGGER IF NOT EXISTS changes_dirty_member_insert AFTER INSERT ON story_articles
        BEGIN INSERT OR IGNORE INTO changes_dirty VALUES (new.story_id); END;
    CREATE TRIGGER IF NOT EXISTS changes_dirty_member_delete AFTER DELETE ON story_articles
        BEGIN INSERT OR IGNORE INTO changes_dirty VALUES (old.story_id); END;
    CREATE TRIGGER IF NOT EXISTS changes_dirty_member_update AFTER UPDATE ON story_articles
        BEGIN INSERT OR IGNORE INTO changes_dirty VALUES (old.story_id), (new.story_id); END;
    INSERT OR IGNORE INTO changes_dirty
        SELECT sa.story_id FROM story_articles sa
        LEFT JOIN tracked_articles t ON t.article_id = sa.article_id
        WHERE t.article_id IS NULL OR t.story_id != sa.story_id;
    INSERT OR IGNORE INTO changes_dirty
        SELECT s.id FROM stories s LEFT JOIN story_digests d ON d.story_id = s.id
        WHERE d.story_id IS NULL OR d.size != s.size
        OR d.first IS NOT s.first OR d.last IS NOT s.last;
    INSERT OR IGNORE INTO changes_dirty
        SELECT d.story_id FROM story_digests d LEFT JOIN stories s ON s.id = d.story_id
        WHERE s.id IS NULL;
    """,
    # 39: a story row keeps a digest of what its card was made from (``listing.card_key``),
    # so a story marked only for what it gives itself (a story going dormant) keeps its card
    # instead of decoding every analysis again; rows without one are made anew
    """
    -- the column is added by Store._story_card_column (only where missing)
    """,
    # 40: the story index's postings (term -> dormant stories) in the vocabulary's rows (a
    # term's ``seq`` list as MessagePack gaps) instead of rows of their own that stored
    # every term again, and a term's counts as df and the bits above (3 instead of 8 bytes
    # for most): 1.41 -> 0.98 MB per 1,000 10kGNAD articles. The postings are moved and the
    # tables replaced by ``Store`` in the same transaction (``stories.state``)
    """
    -- the tables are replaced by Store._story_postings_in_vocab (stories.state)
    """,
    # 41: the story index's dormant stories in row format 2 (``stories.packed``: the
    # vectors' terms tab-joined and their float64 weights in one byte-planed array, the
    # centroid's start shared with the last member's, the other fields by place; every
    # weight exact): story_archive 1.27 -> 1.05 MB per 1,000 10kGNAD articles. The rows are
    # rewritten by ``Store`` in the same transaction; format-1 rows still read
    """
    -- no change of the tables: the rows are rewritten by Store._story_rows_packed
    """,
    # 42: the story index's head notes the last article up to which every article is placed
    # (``stories.state.Placed``), so a run looks for new articles after it instead of reading
    # every article and every placed id (~0.45 s per run at 100k articles)
    """
    -- no change of the tables: the head is noted by Store._note_placed
    """,
    # 43: the stories marked for the entity lists because one of their analyses changed
    # (``entity_dirty`` also holds those whose row was only written): a story rewritten with
    # the same articles (it went dormant, its title changed) keeps its entity parts
    # (``entities.update._unchanged``: 237 of 1,202 dirty stories of an ingest at 100k
    # articles were resolved again for that alone). Stories marked before count as changed
    """
    CREATE TABLE IF NOT EXISTS entity_analysed (story_id TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT OR IGNORE INTO entity_analysed SELECT story_id FROM entity_dirty;
    DROP TRIGGER IF EXISTS entity_dirty_doc;
    CREATE TRIGGER entity_dirty_doc AFTER INSERT ON docs BEGIN
        INSERT OR IGNORE INTO entity_dirty
            SELECT story_id FROM story_articles WHERE article_id = new.article_id;
        INSERT OR IGNORE INTO entity_analysed
            SELECT story_id FROM story_articles WHERE article_id = new.article_id;
    END;
    """,
    # 44: the search index with the text as its first column and the title second: FTS5
    # writes a column's number before its positions for every column but the first (2 bytes
    # per word and article), and most of an article's words are in its text: 1.86 -> 1.43 MB
    # per 1,000 10kGNAD articles. Same hits and the same bm25 ranks (every column weighs 1
    # and a row's length is summed over its columns; queries name no column). The index is
    # built anew from the stored texts by ``Store`` in the same transaction
    """
    DROP TABLE IF EXISTS articles_search;
    CREATE VIRTUAL TABLE articles_search USING fts5 (
        text, title, content = '', tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
    # 45: a person named in full is no longer found by the keys of its one-word forms (the
    # "Merkel" an "Angela Merkel" took in): across stories only a bare name can join it
    # through them, as its surname, and finds it by that ("l:"); a new full name's last word
    # and every one-word organisation or place brought in each stored namesake that had once
    # absorbed that word (at 100k articles 13k of an ingest's 17k stored entities taken in,
    # nearly all of them in no merge). The keys go by ``Store`` in the same transaction, from
    # each person's tally (a store that ran this migration's first version keeps them
    # prefixed "o:": 50 drops those)
    """
    -- no change of the tables: the keys are rewritten by Store._person_word_keys_apart
    """,
    # 46: the change log smaller: tracked articles without the time of their pass (written,
    # never read) and, like the story digests, a table keyed by its id alone (WITHOUT ROWID:
    # no second copy of the key in an index); details of the usual shapes stored by place
    # (``codec.pack_detail``), rewritten by ``Store`` in the same transaction. 1.05 -> 0.89
    # MB per 1,000 10kGNAD articles
    """
    CREATE TABLE tracked_articles_new (
        article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, outlet TEXT
    ) WITHOUT ROWID;
    INSERT INTO tracked_articles_new SELECT article_id, story_id, outlet FROM tracked_articles;
    DROP TABLE tracked_articles;
    ALTER TABLE tracked_articles_new RENAME TO tracked_articles;
    CREATE INDEX tracked_articles_story ON tracked_articles (story_id);
    CREATE TABLE story_digests_new (
        story_id TEXT PRIMARY KEY, outlets TEXT NOT NULL, first TEXT, last TEXT,
        size INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT INTO story_digests_new SELECT story_id, outlets, first, last, size FROM story_digests;
    DROP TABLE story_digests;
    ALTER TABLE story_digests_new RENAME TO story_digests;
    """,
    # 47: an article's input key (``sqlite.input_key``) as its 16 bytes, not 32 hex digits,
    # in the table and in its index (~0.04 MB per 1,000 articles); rewritten by ``Store`` in
    # the same transaction
    """
    -- no change of the tables: the keys are rewritten by Store._input_keys_as_bytes
    """,
    # 48: the index of facet counts holds the facets of more than one story only: the
    # landing page shows the 15 largest of a kind, and most entities name one story (5,578
    # of 6,712 on 1,000 10kGNAD articles; -0.13 MB per 1,000). A kind with fewer than 15
    # such facets is read whole for the rest (``listing._facet``)
    """
    DROP INDEX IF EXISTS story_facets_n;
    CREATE INDEX story_facets_n ON story_facets (kind, n) WHERE n > 1;
    """,
    # 49: a story list term names its story by the 8 bytes of its id (``listing.term_story``)
    # instead of 16 hex digits: ~0.1 MB per 1,000 10kGNAD articles; the terms are rewritten
    # by ``Store`` in the same transaction
    """
    -- no change of the tables: the terms are rewritten by Store._term_stories_as_bytes
    """,
    # 50: the one-word keys an earlier version of 45 kept apart as "o:" keys go (nothing asks
    # for them: see 45)
    """
    DELETE FROM entity_keys WHERE key >= 'o:' AND key < 'o;';
    """,
    # 51: a story list term whose value is its facet's shown value (the smallest spelling of
    # its key: most terms) stores '' (``listing._SHOWN``): -0.14 MB per 1,000 10kGNAD
    # articles; a facet whose shown value changes writes its '' terms out first
    """
    UPDATE story_terms SET value = '' WHERE value = (
        SELECT f.value FROM story_facets f
        WHERE f.kind = story_terms.kind AND f.key = story_terms.key
    );
    """,
    # 52: a mention's source kept as its place in ``entities.index.SOURCES`` (0 "ner", 1
    # "rule": no bytes in a record) instead of the word: entity_mentions 0.88 -> 0.81 MB per
    # 1,000 10kGNAD articles. The table is written anew with the same row numbers (the
    # mentions' order) and an INTEGER column (a TEXT one would keep 0 as "0")
    """
    CREATE TABLE entity_mentions_new (
        entity INTEGER NOT NULL,
        article BLOB NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        source INTEGER NOT NULL,
        caption INTEGER
    );
    INSERT INTO entity_mentions_new (rowid, entity, article, start, "end", text, source, caption)
        SELECT rowid, entity, article, start, "end", text,
            CASE source WHEN 'ner' THEN 0 WHEN 'rule' THEN 1 WHEN 'gazetteer' THEN 2
                WHEN 'coref' THEN 3 ELSE source END,
            caption
        FROM entity_mentions ORDER BY rowid;
    DROP TABLE entity_mentions;
    ALTER TABLE entity_mentions_new RENAME TO entity_mentions;
    CREATE INDEX entity_mentions_entity ON entity_mentions (entity);
    CREATE INDEX entity_mentions_article_entity ON entity_mentions (article, entity);
    """,
    # 53: a story list term's and facet's kind as one letter (``listing.KIND_CODE``: o, l, e)
    # instead of its name in every row: -0.11 MB per 1,000 10kGNAD articles
    """
    UPDATE story_terms SET kind = CASE kind WHEN 'outlet' THEN 'o' WHEN 'language' THEN 'l'
        WHEN 'entity' THEN 'e' ELSE kind END;
    UPDATE story_facets SET kind = CASE kind WHEN 'outlet' THEN 'o' WHEN 'language' THEN 'l'
        WHEN 'entity' THEN 'e' ELSE kind END;
    """,
    # 54: tracked articles without their index by story: every read finds a tracked article
    # by its id (the key), nothing by its story (-0.05 MB per 1,000 10kGNAD articles)
    """
    DROP INDEX IF EXISTS tracked_articles_story;
    """,
    # 55: entity mentions keyed by (entity, rowid) without SQLite's own row numbers: the
    # ``rowid`` column holds the row number each had (the order they were written in, read
    # under that name as before; ``entities.update.ROWID_KEY``), and the table itself is the
    # index by entity that it needed beside it: entity tables 5.33 -> 5.12 MB per 1,000
    # 10kGNAD articles. Copied in entity order, as the old index reads
    """
    CREATE TABLE entity_mentions_new (
        entity INTEGER NOT NULL,
        rowid INTEGER NOT NULL,
        article BLOB NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL,
        source INTEGER NOT NULL,
        caption INTEGER,
        PRIMARY KEY (entity, rowid)
    ) WITHOUT ROWID;
    INSERT INTO entity_mentions_new
        SELECT entity, rowid, article, start, "end", text, source, caption
        FROM entity_mentions ORDER BY entity, rowid;
    INSERT OR REPLACE INTO state (key, value)
        SELECT 'entities.mention_rowid', COALESCE(MAX(rowid), 0) FROM entity_mentions;
    DROP TABLE entity_mentions;
    ALTER TABLE entity_mentions_new RENAME TO entity_mentions;
    CREATE INDEX entity_mentions_article_entity ON entity_mentions (article, entity);
    """,
    # 56: the change log's time as its pass: one row per tracking pass with the time it ran
    # (``change_passes``), and each change names its pass by number instead of repeating the
    # 32-character time (and indexing it): change log 0.84 -> 0.71 MB per 1,000 10kGNAD
    # articles. The table is written anew by ``Store`` in the same transaction
    """
    CREATE TABLE IF NOT EXISTS change_passes (id INTEGER PRIMARY KEY, at TEXT NOT NULL);
    """,
    # 57: an analysis names the stages that made it by number (``stage_sets``: each list of
    # stage versions once) instead of repeating the ~60-character list in every row: -0.05
    # MB per 1,000 10kGNAD articles. The table is written anew (same row numbers, triggers
    # kept) by ``Store`` in the same transaction
    """
    CREATE TABLE IF NOT EXISTS stage_sets (id INTEGER PRIMARY KEY, stages TEXT NOT NULL);
    """,
    # 58: the change log's story and item ids as 8 bytes where they are 16 hex digits and
    # its kinds as one letter (``codec.pack_id``, ``pack_kind``): change log 0.71 -> 0.66
    # MB per 1,000 10kGNAD articles. The dossier cache's trigger reads the story id either
    # way; the rows are rewritten by ``Store`` in the same transaction
    """
    DROP TRIGGER IF EXISTS dossier_cache_change;
    CREATE TRIGGER dossier_cache_change AFTER INSERT ON story_changes BEGIN
        DELETE FROM dossier_cache WHERE story_id = CASE typeof(new.story_id)
            WHEN 'blob' THEN lower(hex(new.story_id)) ELSE new.story_id END;
    END;
    """,
    # 59: story list rows without their story's title (a copy of ``stories.title``, which a
    # page now joins): story list rows 0.86 -> 0.77 MB per 1,000 10kGNAD articles. The table
    # is written anew by ``Store`` in the same transaction
    """
    -- the table is rewritten by Store._story_rows_without_titles
    """,
    # 60: a story's articles kept in one B-tree by (story, article) (WITHOUT ROWID) instead of
    # a table of row numbers beside the index of its key: stories 0.44 -> 0.38 MB per 1,000
    # 10kGNAD articles. The table is written anew by ``Store`` in the same transaction
    """
    -- the table is rewritten by Store._story_articles_by_key
    """,
    # 61: per-article parts of a dossier build (``dossier.parts``: summary candidates, timeline
    # events, quote contents), kept for the articles of stories of at least
    # ``dossier.precompute_articles`` articles under a key of the code, the analysis and the
    # text; an analysis changed, deleted or stored again drops its article's row at once
    """
    CREATE TABLE IF NOT EXISTS dossier_parts (
        article_id TEXT PRIMARY KEY,
        key BLOB NOT NULL,
        data BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER IF NOT EXISTS dossier_parts_doc_insert AFTER INSERT ON docs
        BEGIN DELETE FROM dossier_parts WHERE article_id = new.article_id; END;
    CREATE TRIGGER IF NOT EXISTS dossier_parts_doc_update AFTER UPDATE ON docs
        BEGIN DELETE FROM dossier_parts WHERE article_id IN (old.article_id, new.article_id); END;
    CREATE TRIGGER IF NOT EXISTS dossier_parts_doc_delete AFTER DELETE ON docs
        BEGIN DELETE FROM dossier_parts WHERE article_id = old.article_id; END;
    """,
)
