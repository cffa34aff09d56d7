import Foundation
import GRDB

extension RunLog {
    /// The log's tables, one migration per change. GRDB's migrator checks which migrations are
    /// applied outside any transaction, so two first starters could both create the tables:
    /// `openForWriting` runs it under a file lock (see `RunLog+Open.swift`).
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: conversationsTable + "CREATE TABLE runs (\(runsFirstColumns));" + runsFirstIndexes)
            try db.execute(sql: runEventsTable)
            try createSearchIndex(db)
        }
        // The answers to a step's tool calls: one row per call, in call order.
        m.registerMigration("v2-tool-calls") { db in
            try db.execute(sql: """
                CREATE TABLE tool_results (
                    run_id TEXT NOT NULL, idx INTEGER NOT NULL, call_id TEXT NOT NULL, name TEXT NOT NULL,
                    arguments TEXT NOT NULL, status TEXT NOT NULL, result TEXT NOT NULL, outcome_json TEXT NOT NULL,
                    PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
                """)
        }
        // Stream vs non-stream comparisons: which runs, what differed.
        m.registerMigration("v3-comparisons") { db in
            try db.execute(sql: """
                CREATE TABLE comparisons (
                    id TEXT PRIMARY KEY, created_at REAL NOT NULL, conversation_id TEXT NOT NULL,
                    stream_run_ids TEXT NOT NULL, non_stream_run_ids TEXT NOT NULL,
                    differences TEXT NOT NULL, sampling INTEGER NOT NULL, verdict TEXT NOT NULL);
                """)
        }
        // How many raw events a run stored (and how many it dropped past the event budget), kept
        // in its row so `logs show` never counts a gigabyte of events to print one number. Runs
        // logged before this are counted once, here.
        m.registerMigration("v4-event-counts") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN event_count INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN event_bytes INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN events_dropped INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN event_bytes_dropped INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN event_budget INTEGER;
                UPDATE runs SET
                    event_count = (SELECT COUNT(*) FROM run_events e WHERE e.run_id = runs.id),
                    event_bytes = (SELECT COALESCE(SUM(LENGTH(CAST(e.data AS BLOB))), 0) FROM run_events e WHERE e.run_id = runs.id);
                """)
        }
        // What was odd about a run without failing it (an invalid usage replaced by the
        // estimate, ignored empty events), as a JSON list of sentences.
        m.registerMigration("v5-anomalies") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN anomalies_json TEXT")
        }
        // The provider's extra headers (a GLMSim scenario…), so a curl export replays them.
        m.registerMigration("v6-extra-headers") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN extra_headers_json TEXT")
        }
        // Evaluations (issue 12): the cache looks runs up by their exact request. The evals and
        // eval_cells tables are created by the first evaluation (RunLog+Evals), so a log that
        // never ran one carries no empty pages for them.
        m.registerMigration("v7-evals") { db in
            try db.execute(sql: "CREATE INDEX runs_cache_key ON runs(model, provider, base_url, status)")
        }
        // A thinking model's reasoning (issue 14), kept apart from `content`, and the reasoning
        // tokens its usage reported. Nullable and NULL for every run without reasoning (all runs
        // of a model that does not think): SQLite stores nothing for a NULL at the end of a row,
        // so a log that never saw a thinking model grows by no byte. Older rows read as NULL.
        m.registerMigration("v8-reasoning") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN reasoning TEXT")
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN reasoning_tokens INTEGER")
        }
        // The server's id for each completion (issue 14): support tickets ask for it.
        m.registerMigration("v9-response-id") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN response_id TEXT")
        }
        // A running run's event counts, kept per batch in a row of their own (issue 15): kept in
        // the run's row, every batch rewrote that row — request JSON, whole conversation and all —
        // and re-indexed it for search, so each reply of a long conversation cost more than the
        // last. `finish` moves the counts into the run's row and drops the tally row.
        m.registerMigration("v10-event-tallies") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run_event_tallies (
                        run_id TEXT PRIMARY KEY, event_count INTEGER NOT NULL, event_bytes INTEGER NOT NULL,
                        events_dropped INTEGER NOT NULL, event_bytes_dropped INTEGER NOT NULL, event_budget INTEGER
                    ) WITHOUT ROWID;
                    """)
        }
        // Raw payloads a batch to a row (issue 15): a row per payload made SQLite's per-row work
        // the largest cost of a full-speed stream. See `EventBlocks`; `run_events` keeps the
        // payloads of logs written before, and readers take both.
        m.registerMigration("v11-event-blocks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run_event_blocks (
                        run_id TEXT NOT NULL, first_seq INTEGER NOT NULL, count INTEGER NOT NULL,
                        layout BLOB NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run_id, first_seq));
                    """)
        }
        // A run's request in a row of its own, written once, and stored as what it adds to the
        // request before it in the conversation (issue 15; see `RunRequests`). Runs logged
        // before keep theirs in `runs.request_json`.
        m.registerMigration("v12-run-requests") { db in
            try db.execute(
                sql: """
                    CREATE TABLE run_requests (
                        run_id TEXT PRIMARY KEY, base_run_id TEXT, head INTEGER NOT NULL, tail INTEGER NOT NULL,
                        body BLOB NOT NULL);
                    """)
        }
        return m
    }

    // The tables of the first version, as `v1` made them: `createCurrentSchema` starts from the
    // same text, so there is one definition of each.
    private static let conversationsTable = """
        CREATE TABLE conversations (
            id TEXT PRIMARY KEY, created_at REAL NOT NULL, provider TEXT, model TEXT, title TEXT);
        """
    private static let runsFirstColumns = """
        id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations(id),
        parent_run_id TEXT, template_name TEXT, template_vars TEXT,
        provider TEXT NOT NULL, base_url TEXT NOT NULL, model TEXT NOT NULL, mode TEXT NOT NULL,
        request_json TEXT NOT NULL, prompt TEXT NOT NULL, system TEXT,
        status TEXT NOT NULL, content TEXT NOT NULL, tool_calls TEXT, finish_reason TEXT,
        prompt_tokens INTEGER, completion_tokens INTEGER, total_tokens INTEGER, cached_tokens INTEGER,
        usage_source TEXT, cost_usd TEXT, would_cost_usd TEXT, price_json TEXT,
        web_search_json TEXT, content_filter_json TEXT,
        started_at REAL NOT NULL, headers_ms REAL, first_byte_ms REAL, first_token_ms REAL,
        last_token_ms REAL, total_ms REAL, chunk_count INTEGER NOT NULL, http_status INTEGER,
        error_kind TEXT, error_code TEXT, error_message TEXT, error_meaning TEXT, error_advice TEXT,
        error_retryable INTEGER, retries_json TEXT, pid INTEGER NOT NULL, prompt_estimate INTEGER NOT NULL
        """
    private static let runsFirstIndexes = """
        CREATE INDEX runs_conversation ON runs(conversation_id, started_at);
        CREATE INDEX runs_started ON runs(started_at);
        """
    private static let runEventsTable = """
        CREATE TABLE run_events (
            run_id TEXT NOT NULL, seq INTEGER NOT NULL, offset_us INTEGER NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
        """

    /// Full-text search over prompts, system prompts and replies, kept in step with `runs` by
    /// triggers.
    private static func createSearchIndex(_ db: Database) throws {
        try db.create(virtualTable: "runs_fts", using: FTS5()) { t in
            t.synchronize(withTable: "runs")
            t.tokenizer = .unicode61()
            t.column("prompt")
            t.column("system")
            t.column("content")
        }
    }

    /// A log with no tables yet gets the schema the migrations end with, in one transaction,
    /// and every migration marked done. Run one by one, the twelve migrations were a third of a
    /// first start's CPU (issue 15): a transaction each, and ten `ALTER TABLE`s after each of
    /// which SQLite parsed the whole schema again. The migrations stay the history that older
    /// logs are brought up to date with; `SchemaTests` holds this schema to theirs (tables,
    /// columns, keys, indexes, triggers), so a new migration that is not added here fails it.
    static func createCurrentSchema(_ db: Database) throws {
        try db.inTransaction {
            try db.execute(
                sql: """
                    \(conversationsTable)
                    CREATE TABLE runs (
                        \(runsFirstColumns),
                        event_count INTEGER NOT NULL DEFAULT 0, event_bytes INTEGER NOT NULL DEFAULT 0,
                        events_dropped INTEGER NOT NULL DEFAULT 0, event_bytes_dropped INTEGER NOT NULL DEFAULT 0,
                        event_budget INTEGER, anomalies_json TEXT, extra_headers_json TEXT,
                        reasoning TEXT, reasoning_tokens INTEGER, response_id TEXT);
                    \(runsFirstIndexes)
                    CREATE INDEX runs_cache_key ON runs(model, provider, base_url, status);
                    \(runEventsTable)
                    CREATE TABLE tool_results (
                        run_id TEXT NOT NULL, idx INTEGER NOT NULL, call_id TEXT NOT NULL, name TEXT NOT NULL,
                        arguments TEXT NOT NULL, status TEXT NOT NULL, result TEXT NOT NULL, outcome_json TEXT NOT NULL,
                        PRIMARY KEY (run_id, idx)) WITHOUT ROWID;
                    CREATE TABLE comparisons (
                        id TEXT PRIMARY KEY, created_at REAL NOT NULL, conversation_id TEXT NOT NULL,
                        stream_run_ids TEXT NOT NULL, non_stream_run_ids TEXT NOT NULL,
                        differences TEXT NOT NULL, sampling INTEGER NOT NULL, verdict TEXT NOT NULL);
                    CREATE TABLE run_event_tallies (
                        run_id TEXT PRIMARY KEY, event_count INTEGER NOT NULL, event_bytes INTEGER NOT NULL,
                        events_dropped INTEGER NOT NULL, event_bytes_dropped INTEGER NOT NULL, event_budget INTEGER
                    ) WITHOUT ROWID;
                    CREATE TABLE run_event_blocks (
                        run_id TEXT NOT NULL, first_seq INTEGER NOT NULL, count INTEGER NOT NULL,
                        layout BLOB NOT NULL, data BLOB NOT NULL, PRIMARY KEY (run_id, first_seq));
                    CREATE TABLE run_requests (
                        run_id TEXT PRIMARY KEY, base_run_id TEXT, head INTEGER NOT NULL, tail INTEGER NOT NULL,
                        body BLOB NOT NULL);
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    """)
            try createSearchIndex(db)
            for id in migrator.migrations {
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [id])
            }
            return .commit
        }
    }

    /// The columns kept by the event writes, not by `finish` (which would reset them).
    static let eventColumns: Set<String> = ["event_count", "event_bytes", "events_dropped", "event_bytes_dropped", "event_budget"]
}
