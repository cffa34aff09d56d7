import Foundation
import GRDB
import GRDBSQLite

/// The structured run log: SQLite in WAL mode, one row per run, every raw payload beside it.
///
/// Writes go to GRDB's serial writer queue asynchronously, so logging never stalls a stream. A
/// stream's payloads are committed in groups, at most 20 ms after they arrive (`PendingEvents`);
/// every other write is its own transaction. A killed process loses at most those 20 ms and the
/// writes in flight, never an earlier run. A write that fails is never silent: the first failure
/// is kept as a `WriteFailure`, handed to the failure handler at once, and thrown by `flush()`.
public final class RunLog: Sendable {
    public let path: String
    let db: any DatabaseWriter
    /// Opened by a reader on a log it cannot write (`init(readingDataDir:)`): every write fails.
    public let readOnly: Bool
    /// Raw payload bytes stored per run; past it a run's events are counted, not stored.
    public let eventBudget: Int
    let failureState = Mutex(FailureState())
    /// The runs being written, so `finish` can update without reading back, with the event
    /// bytes each has stored against the budget.
    private let open = Mutex<[String: OpenRun]>([:])
    /// The last runs this process finished, as it built them: what a front end prints when the
    /// log could not store them.
    private let recent = Mutex<[RunRecord]>([])
    /// Payload bytes queued for the writer; a stream waits for it past 8 MiB (`waitForWriter`).
    let backlog = WriterBacklog(limit: 8 << 20)
    /// The request of the run begun last, the one the next run of its conversation is stored
    /// against (`RunRequests`). One request, never one per conversation: Ctrl-N lets it go.
    private let lastRequest = Mutex<LastRequest?>(nil)
    /// Payload batches waiting for their group's commit; every hand-off to the writer happens
    /// under this lock, so writes reach SQLite in the order they were made.
    private let pending = Mutex(PendingEvents())
    /// How long a payload batch waits for its group's commit at most (`PendingEvents.delay`).
    let groupDelay: DispatchTimeInterval

    struct LastRequest {
        var conversationId: String
        var runId: String
        var json: String
    }

    struct OpenRun {
        var record: RunRecord
        var storedBytes = 0
        var dropping = false
    }

    /// 256 MiB of raw payloads per run: far above any real reply, a bound on a hostile stream.
    public static let defaultEventBudget = 256 << 20

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

    /// Opens (creating if needed) the log in `dataDir` for writing, and marks runs whose process
    /// died mid-run as interrupted. Throws an `OpenError` naming what is wrong with the folder.
    public convenience init(dataDir: String, eventBudget: Int = RunLog.defaultEventBudget) throws {
        if let e = Self.makeDirectories(dataDir) { throw OpenError(dataDir: dataDir, reason: Self.explain(errno: e)) }
        let path = Self.path(inDataDir: dataDir)
        do { self.init(path: path, db: try Self.openForWriting(path: path), readOnly: false, eventBudget: eventBudget) }
        catch { throw OpenError(dataDir: dataDir, reason: Self.explain(openError: error, path: path)) }
    }

    /// Opens the log in `dataDir` for the reading commands: read-write when it can (so dead
    /// runs are marked), read-only when the file or its folder is not writable or a read-write
    /// open fails (a read-only mount, a folder owned by someone else).
    public convenience init(readingDataDir dataDir: String) throws {
        let path = Self.path(inDataDir: dataDir)
        let exists = FileManager.default.fileExists(atPath: path)
        if exists, !(Self.writable(path) && Self.writable(dataDir)) {
            do { self.init(path: path, db: try Self.openReadOnly(path: path), readOnly: true, eventBudget: 0) }
            catch { throw OpenError(dataDir: dataDir, reason: Self.explain(openError: error, path: path)) }
            return
        }
        do {
            try self.init(dataDir: dataDir)
        } catch let first {
            guard exists, let q = try? Self.openReadOnly(path: path) else { throw first }
            self.init(path: path, db: q, readOnly: true, eventBudget: 0)
        }
    }

    /// Opens (creating if needed) the log at `path` for writing.
    public convenience init(path: String, eventBudget: Int = RunLog.defaultEventBudget) throws {
        self.init(path: path, db: try Self.openForWriting(path: path), readOnly: false, eventBudget: eventBudget)
    }

    /// `groupDelay` is `PendingEvents.delay` but for tests that must see the byte limit alone hand
    /// batches over, whatever a loaded machine does to the time between two calls.
    init(
        path: String, db: any DatabaseWriter, readOnly: Bool, eventBudget: Int,
        groupDelay: DispatchTimeInterval = PendingEvents.delay
    ) {
        self.path = path
        self.db = db
        self.readOnly = readOnly
        self.eventBudget = eventBudget
        self.groupDelay = groupDelay
        if !readOnly { registerWriter() }
    }

    /// A log let go with payloads still pending (its owner did not flush within their 20 ms)
    /// still stores them: the write is queued without `self`, and the writer keeps the database
    /// open until it is done.
    deinit {
        guard let (runs, bytes) = pending.withLock({ $0.take() }) else { return }
        let backlog = self.backlog
        db.asyncWrite({ db in try PendingEvents.write(runs, db: db) }, completion: { _, _ in backlog.done(bytes) })
    }

    // MARK: Writing

    public func begin(_ start: RunStart, extraHeaders: [ExtraHeader] = []) {
        let record = { var r = RunRecord(start: start); r.extraHeadersJson = ExtraHeader.json(extraHeaders); return r }()
        open.withLock { $0[start.runId] = OpenRun(record: record) }
        let this = LastRequest(conversationId: start.conversationId, runId: start.runId, json: start.requestJSON)
        let base = lastRequest.withLock { slot -> LastRequest? in
            defer { slot = this }
            return slot?.conversationId == start.conversationId ? slot : nil
        }
        enqueue { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO conversations (id, created_at, provider, model, title) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    start.conversationId, LogDate.text(start.startedAt), start.provider, start.model,
                    String(record.prompt.prefix(80)),
                ])
            // The request goes to its own row (`RunRequests`), so the run's row stays small
            // when `finish` rewrites it.
            var row = record
            row.requestJson = ""
            try row.insert(db)
            try RunRequests.store(
                runId: start.runId, json: start.requestJSON, base: base.map { ($0.runId, $0.json) }, db: db)
        }
    }

    /// A conversation read back from the log goes on from `run` (reopened with F5 or
    /// `--resume`): its next request is stored as what it adds to `run`'s, as it would have been
    /// had this process sent `run`.
    public func continueConversation(from run: RunRecord) {
        let this = LastRequest(conversationId: run.conversationId, runId: run.id, json: run.requestJson)
        lastRequest.withLock { $0 = this }
    }

    /// Stores the raw payloads of one batch, and the run's event counts in the same transaction
    /// (with the other batches of its 20 ms: `PendingEvents`). Past the run's event budget,
    /// payloads are counted as dropped instead of stored, so a hostile stream cannot grow the log
    /// without bound; the events kept are always a prefix.
    public func record(runId: String, _ batch: [RunEvent]) {
        var rows: [(Int, Int64, RawPayload)] = []
        // A stream's batch is a payload and its text, read after read: half of it at most.
        rows.reserveCapacity(batch.count / 2 + 1)
        for i in batch.indices {
            if case .payload(let seq, let off, let data) = batch[i] { rows.append((seq, off, data)) }
        }
        guard !rows.isEmpty else { return }
        let budget = eventBudget
        var keptCount = rows.count, keptBytes = 0, droppedBytes = 0
        // Only the run's two counters are read and written back: copying its `OpenRun` (which
        // holds the whole record, request included) per payload was a full-speed stream's
        // largest copy.
        open.withLock { runs in
            let tracked = runs[runId] != nil
            var stored = runs[runId]?.storedBytes ?? 0, dropping = runs[runId]?.dropping ?? false
            for i in rows.indices {
                let n = rows[i].2.count
                // Past the budget, this payload and every later one are dropped: the kept ones
                // are always a prefix of the batch.
                if tracked && (dropping || stored > budget - n) {
                    dropping = true
                    keptCount = min(keptCount, i)
                    droppedBytes += n
                    continue
                }
                if tracked { stored += n }
                keptBytes += n
            }
            if tracked {
                runs[runId]?.storedBytes = stored
                runs[runId]?.dropping = dropping
            }
        }
        backlog.add(keptBytes)
        let armTimer = pending.withLock { p -> Bool in
            p.add(
                runId: runId, rows: rows[..<keptCount], keptBytes: keptBytes, dropped: rows.count - keptCount,
                droppedBytes: droppedBytes, budget: budget)
            if p.bytes >= PendingEvents.byteLimit {
                submitPending(&p)
                return false
            }
            guard !p.timerArmed else { return false }
            p.timerArmed = true
            return true
        }
        if armTimer {
            // Weak: a timer must not keep the log open past its owner (the last close checkpoints
            // the WAL into the database file); `deinit` hands over what is left.
            DispatchQueue.global().asyncAfter(deadline: .now() + groupDelay) { [weak self] in
                guard let self else { return }
                self.pending.withLock { p in
                    p.timerArmed = false
                    self.submitPending(&p)
                }
            }
        }
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
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO comparisons
                        (id, created_at, conversation_id, stream_run_ids, non_stream_run_ids, differences, sampling, verdict)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    c.id, LogDate.text(c.createdAt), c.conversationId, WireJSON.string(c.streamRunIds),
                    WireJSON.string(c.nonStreamRunIds), WireJSON.string(c.differences), c.sampling, c.verdict,
                ])
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
        guard var record = open.withLock({ $0.removeValue(forKey: result.runId)?.record }) else { return }
        record.apply(result)
        let final = record
        // Kept in memory only until the log holds it: a record carries the whole request (the
        // conversation so far), so keeping the last 64 of a long conversation kept megabytes
        // alive after Ctrl-N. A run whose write fails stays readable from here.
        recent.withLock { list in
            list.append(final)
            if list.count > 64 { list.removeFirst(list.count - 64) }
        }
        let recent = self.recent
        enqueue(
            { db in
                // The run's event counts move from its tally row into its row, in the one rewrite of
                // the row that ending a run needs; a run without events keeps the row's zeros.
                var row = final
                let tallied = try Self.applyTally(to: &row, db: db)
                var columns = try db.columns(in: RunRecord.databaseTableName).map(\.name)
                columns.removeAll { $0 == "request_json" }
                if !tallied { columns.removeAll { Self.eventColumns.contains($0) } }
                try row.update(db, columns: columns)
                if tallied {
                    try db.execute(sql: "DELETE FROM run_event_tallies WHERE run_id = ?", arguments: [row.id])
                }
            },
            committed: { recent.withLock { list in list.removeAll { $0.id == final.id } } })
    }

    /// Finished runs held in memory because the log does not hold them yet (or failed to).
    var recordsInMemory: Int { recent.withLock { $0.count } }

    /// The record of a run this process finished: as logged when the log has it, else as built
    /// in memory (the log failed to store it), with `result` applied if the logged row never
    /// got its end. Nil only for a run this log never saw.
    public func record(for result: RunResult) -> RunRecord? {
        guard var r = record(runId: result.runId) else { return nil }
        if r.status == .running { r.apply(result) }
        return r
    }

    /// A run by its full id: the logged row, else this process's own copy of it (a run the log
    /// could not store), else nil.
    public func record(runId: String) -> RunRecord? {
        if let logged = try? run(id: runId), logged.id == runId { return logged }
        return recent.withLock({ $0.last { $0.id == runId } }) ?? open.withLock({ $0[runId]?.record })
    }

    /// Waits until every queued write is committed; throws the first write failure, if any.
    public func flush() async throws {
        commitPending()
        do { try await db.write { _ in } } catch { recordFailure(error, db: nil) }
        if let f = failure { throw f }
    }

    /// Waits while the writer is more than its backlog limit of payload bytes behind, so a
    /// stream read faster than SQLite stores it never holds more than that in memory.
    public func waitForWriter() async { await backlog.waitForRoom() }

    /// Gives back SQLite's memory: the writer's page cache and every reader connection (each
    /// caches up to 2 MB of pages). Called when a conversation is dropped (Ctrl-N), so the
    /// pages a long conversation's replies passed through do not stay resident. Waits for the
    /// writer's queued work; call it off the main actor. The last request kept for storing the
    /// next turn against is let go too, unless it is `current`'s (the conversation going on: a
    /// reopened one has just set it).
    public func releaseMemory(keepingConversation current: String? = nil) {
        lastRequest.withLock { slot in
            if slot?.conversationId != current { slot = nil }
        }
        if let pool = db as? DatabasePool {
            pool.releaseMemory()
        } else if let queue = db as? DatabaseQueue {
            queue.releaseMemory()
        }
    }

    /// Payload bytes recorded and not yet handed to the writer.
    var pendingBytes: Int { pending.withLock { $0.bytes } }

    /// Hands the pending payload batches to the writer now (before a write that must follow them).
    func commitPending() {
        pending.withLock { submitPending(&$0) }
    }

    /// Queues a write, after the pending payload batches.
    private func enqueue(
        _ work: @escaping @Sendable (Database) throws -> Void, committed: (@Sendable () -> Void)? = nil
    ) {
        pending.withLock { p in
            submitPending(&p)
            submit(releasing: 0, work, committed: committed)
        }
    }

    /// Queues the pending payload batches as one write. Called with `pending` locked.
    private func submitPending(_ p: inout PendingEvents) {
        guard let (runs, bytes) = p.take() else { return }
        submit(releasing: bytes) { db in try PendingEvents.write(runs, db: db) }
    }

    /// Queues a write on GRDB's writer; `bytes` of payloads it holds leave the backlog when it is
    /// done. Called with `pending` locked, which is what keeps the writes in order.
    private func submit(
        releasing bytes: Int, _ work: @escaping @Sendable (Database) throws -> Void,
        committed: (@Sendable () -> Void)? = nil
    ) {
        let backlog = self.backlog
        db.asyncWrite(
            { db in
                // The OS error (ENOSPC, EFBIG, …) is read right where the write failed, before a
                // rollback can replace it.
                do { try work(db) } catch {
                    throw FailedWrite(error: error, systemErrno: sqlite3_system_errno(db.sqliteConnection))
                }
            },
            completion: { db, result in
                switch result {
                case .failure(let e): self.recordFailure(e, db: db)
                case .success: committed?()
                }
                backlog.done(bytes)
            })
    }

    // MARK: Reading

    public func runs(limit: Int = 50, conversationId: String? = nil) throws -> [RunRecord] {
        try db.read { db in
            let runs: [RunRecord]
            if let conversationId {
                let sql = "SELECT * FROM runs WHERE conversation_id = ? ORDER BY started_at"
                runs = try RunRecord.fetchAll(db, sql: sql, arguments: [conversationId])
            } else {
                let sql = "SELECT * FROM runs ORDER BY started_at DESC LIMIT ?"
                runs = try RunRecord.fetchAll(db, sql: sql, arguments: [limit])
            }
            return try runs.map { try Self.completed($0, db: db) }
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
            let pattern = id.replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            let sql = "SELECT * FROM runs WHERE id LIKE ? ESCAPE '\\' LIMIT 2"
            let runs = try RunRecord.fetchAll(db, sql: sql, arguments: [pattern])
            return try runs.map { try Self.completed($0, db: db) }
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
}

/// A tiny lock for shared state (GRDB's callbacks, the CLI's output buffer). Synchronization's
/// `Mutex` needs a newer deployment target on some platforms; this keeps the same shape.
public final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
