import Foundation
import GRDB

/// The structured run log: SQLite in WAL mode, one row per run, every raw payload beside it.
///
/// Writes go to GRDB's serial writer queue asynchronously, so logging never stalls a stream; each
/// batch is its own transaction, so a killed process loses at most the batch in flight and never
/// an earlier run. `flush()` waits for everything queued so far.
public final class RunLog: Sendable {
    public let path: String
    let db: DatabasePool
    private let firstError = Mutex<Error?>(nil)
    /// The run rows being written, so `finish` can update without reading back.
    private let open = Mutex<[String: RunRecord]>([:])

    public static func defaultDataDir(environment: [String: String]) -> String {
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return base + "/glmwb"
    }

    public static func path(inDataDir dir: String) -> String { dir + "/glmwb.sqlite" }

    /// The data dir: `--data-dir`, else `data_dir` from the config, else the XDG default; a
    /// leading `~` is expanded (otherwise the log would land in a folder literally named "~").
    public static func dataDir(flag: String?, config: WorkbenchConfig, environment: [String: String]) -> String {
        let dir = flag ?? config.dataDir ?? defaultDataDir(environment: environment)
        return (dir as NSString).expandingTildeInPath
    }

    /// Opens (creating if needed) the log in `dataDir`, and marks runs whose process died
    /// mid-run as interrupted.
    public convenience init(dataDir: String) throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        try self.init(path: Self.path(inDataDir: dataDir))
    }

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in
            // WAL + NORMAL survives a killed process (only an OS crash can lose the last commit).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        config.busyMode = .timeout(10)
        db = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(db)
        try markAbandonedRuns()
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE conversations (
                    id TEXT PRIMARY KEY, created_at REAL NOT NULL, provider TEXT, model TEXT, title TEXT);
                CREATE TABLE runs (
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
                    error_retryable INTEGER, retries_json TEXT, pid INTEGER NOT NULL, prompt_estimate INTEGER NOT NULL);
                CREATE INDEX runs_conversation ON runs(conversation_id, started_at);
                CREATE INDEX runs_started ON runs(started_at);
                CREATE TABLE run_events (
                    run_id TEXT NOT NULL, seq INTEGER NOT NULL, offset_us INTEGER NOT NULL, data TEXT NOT NULL,
                    PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
                """)
            try db.create(virtualTable: "runs_fts", using: FTS5()) { t in
                t.synchronize(withTable: "runs")
                t.tokenizer = .unicode61()
                t.column("prompt")
                t.column("system")
                t.column("content")
            }
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
        return m
    }

    /// A run left `running` by a process that no longer exists was cut off (SIGKILL, crash,
    /// power loss): say so instead of leaving it looking alive.
    private func markAbandonedRuns() throws {
        try db.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT id, pid FROM runs WHERE status = 'running'")
            for row in rows {
                let pid: Int32 = row["pid"]
                if pid == ProcessInfo.processInfo.processIdentifier { continue }
                if kill(pid, 0) == 0 && Self.isGlmwb(pid) { continue }
                try db.execute(sql: """
                    UPDATE runs SET status = 'interrupted', error_kind = 'interrupted',
                    error_message = 'the process ended during the run (killed or crashed); events up to the last saved batch are kept'
                    WHERE id = ?
                    """, arguments: [row["id"] as String])
            }
        }
    }

    private static func isGlmwb(_ pid: Int32) -> Bool {
        guard let cmd = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8) else { return true }
        return cmd.contains("glmwb") || cmd.contains("xctest") || cmd.contains("PackageTests")
    }

    // MARK: Writing

    public func begin(_ start: RunStart) {
        let record = RunRecord(start: start)
        open.withLock { $0[start.runId] = record }
        enqueue { db in
            try db.execute(sql: "INSERT OR IGNORE INTO conversations (id, created_at, provider, model, title) VALUES (?, ?, ?, ?, ?)",
                           arguments: [start.conversationId, start.startedAt, start.provider, start.model, String(record.prompt.prefix(80))])
            try record.insert(db)
        }
    }

    /// Stores the raw payloads of one batch.
    public func record(runId: String, _ batch: [RunEvent]) {
        var rows: [(Int, Int64, String)] = []
        for e in batch { if case .payload(let seq, let off, let data) = e { rows.append((seq, off, data)) } }
        guard !rows.isEmpty else { return }
        let batchRows = rows
        enqueue { db in try EventRows.insert(batchRows, runId: runId, db: db) }
    }

    /// Stores the outcomes of a step's tool calls (arguments, status, result, stderr, timings).
    public func recordTools(runId: String, _ outcomes: [ToolOutcome]) {
        enqueue { db in
            for (i, o) in outcomes.enumerated() {
                try db.execute(sql: "INSERT OR REPLACE INTO tool_results (run_id, idx, call_id, name, arguments, status, result, outcome_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [runId, i, o.callId, o.name, o.arguments, o.status.rawValue, o.result, WireJSON.string(o)])
            }
        }
    }

    public func toolOutcomes(runId: String) throws -> [ToolOutcome] {
        try db.read { db in
            try String.fetchAll(db, sql: "SELECT outcome_json FROM tool_results WHERE run_id = ? ORDER BY idx", arguments: [runId])
                .compactMap { try? JSONDecoder().decode(ToolOutcome.self, from: Data($0.utf8)) }
        }
    }

    /// The runs of a tool loop: the first step and every run that names it as parent.
    public func loopSteps(rootRunId: String) throws -> [RunRecord] {
        let ids = try db.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM runs WHERE id = ? OR parent_run_id = ? ORDER BY started_at", arguments: [rootRunId, rootRunId])
        }
        return try ids.map { try run(id: $0) }
    }

    /// Stores a comparison: the runs of each mode and the names of the fields that differed.
    public func recordComparison(_ c: StoredComparison) {
        enqueue { db in
            try db.execute(sql: "INSERT OR REPLACE INTO comparisons (id, created_at, conversation_id, stream_run_ids, non_stream_run_ids, differences, sampling, verdict) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [c.id, c.createdAt, c.conversationId, WireJSON.string(c.streamRunIds), WireJSON.string(c.nonStreamRunIds),
                                       WireJSON.string(c.differences), c.sampling, c.verdict])
        }
    }

    public func comparisons(limit: Int = 50) throws -> [StoredComparison] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM comparisons ORDER BY created_at DESC LIMIT ?", arguments: [limit]).map { row in
                func list(_ k: String) -> [String] { (try? JSONDecoder().decode([String].self, from: Data((row[k] as String).utf8))) ?? [] }
                return StoredComparison(id: row["id"], createdAt: row["created_at"], conversationId: row["conversation_id"],
                                        streamRunIds: list("stream_run_ids"), nonStreamRunIds: list("non_stream_run_ids"),
                                        differences: list("differences"), sampling: row["sampling"], verdict: row["verdict"])
            }
        }
    }

    public func finish(_ result: RunResult) {
        guard var record = open.withLock({ $0.removeValue(forKey: result.runId) }) else { return }
        record.apply(result)
        let final = record
        enqueue { db in try final.update(db) }
    }

    /// Waits until every queued write is committed; reports the first write error, if any.
    public func flush() async throws {
        try await db.write { _ in }
        if let e = firstError.withLock({ $0 }) { throw e }
    }

    private func enqueue(_ work: @escaping @Sendable (Database) throws -> Void) {
        db.asyncWrite({ db in try work(db) }, completion: { [firstError] _, result in
            if case .failure(let e) = result { firstError.withLock { if $0 == nil { $0 = e } } }
        })
    }

    // MARK: Reading

    public func runs(limit: Int = 50, conversationId: String? = nil) throws -> [RunRecord] {
        try db.read { db in
            if let conversationId {
                return try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE conversation_id = ? ORDER BY started_at", arguments: [conversationId])
            }
            return try RunRecord.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started_at DESC LIMIT ?", arguments: [limit])
        }
    }

    public enum LookupError: Error, CustomStringConvertible {
        case notFound(String), ambiguous(String, Int)
        public var description: String {
            switch self {
            case .notFound(let id): return "no run with id '\(id)' (see `glmwb logs list`)"
            case .ambiguous(let id, let n): return "'\(id)' matches \(n) runs; type more of the id"
            }
        }
    }

    /// A run by its id or any unique prefix of it.
    public func run(id: String) throws -> RunRecord {
        let matches = try db.read { db in
            try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
                                   arguments: [id.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"])
        }
        if matches.isEmpty { throw LookupError.notFound(id) }
        if matches.count > 1 { throw LookupError.ambiguous(id, matches.count) }
        return matches[0]
    }

    /// A conversation as listed by the resume picker.
    public struct ConversationSummary: Sendable, Equatable {
        public var id: String
        public var createdAt: Date
        public var title: String
        public var provider: String
        public var model: String
        public var runs: Int
    }

    /// Conversations, newest activity first.
    public func conversations(limit: Int = 100) throws -> [ConversationSummary] {
        try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.id, c.created_at, COALESCE(c.title, '') AS title, COALESCE(c.provider, '') AS provider,
                       COALESCE(c.model, '') AS model, COUNT(r.id) AS runs, MAX(r.started_at) AS last
                FROM conversations c JOIN runs r ON r.conversation_id = c.id
                GROUP BY c.id ORDER BY last DESC LIMIT ?
                """, arguments: [limit]).map {
                ConversationSummary(id: $0["id"], createdAt: $0["created_at"], title: $0["title"], provider: $0["provider"], model: $0["model"], runs: $0["runs"])
            }
        }
    }

    public func events(runId: String) throws -> [StoredEvent] {
        try db.read { db in
            try StoredEvent.fetchAll(db, sql: "SELECT * FROM run_events WHERE run_id = ? ORDER BY seq", arguments: [runId])
        }
    }

    public func eventCount(runId: String) throws -> Int {
        try db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_events WHERE run_id = ?", arguments: [runId]) ?? 0 }
    }

    /// Full-text search over prompts, system prompts and replies, best matches first.
    public func search(_ text: String, limit: Int = 50) throws -> [RunRecord] {
        guard let pattern = FTS5Pattern(matchingAllPrefixesIn: text) else { return [] }
        return try db.read { db in
            try RunRecord.fetchAll(db, sql: """
                SELECT runs.* FROM runs JOIN runs_fts ON runs_fts.rowid = runs.rowid
                WHERE runs_fts MATCH ? ORDER BY bm25(runs_fts) LIMIT ?
                """, arguments: [pattern, limit])
        }
    }
}

/// A tiny lock for state shared by GRDB's callbacks (Synchronization's `Mutex` needs a newer
/// deployment target on some platforms; this keeps the same shape).
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
