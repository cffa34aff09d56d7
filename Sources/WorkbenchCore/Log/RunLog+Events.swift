import Foundation
import GRDB

extension RunLog {
    /// Every stored payload of a run, in order. Loads them all: for a bounded use (a timeline
    /// of a run the user opened); printing uses `forEachEvent`, which never holds them all.
    public func events(runId: String) throws -> [StoredEvent] {
        var all: [StoredEvent] = []
        try forEachEvent(runId: runId) { all.append($0) }
        return all
    }

    /// Calls `body` with each stored payload of a run in order, one block at a time (a cursor),
    /// so a run of a million events is printed in the memory of one network read's payloads.
    public func forEachEvent(runId: String, _ body: (StoredEvent) throws -> Void) throws {
        try db.read { db in
            let sql = try Self.eventsSQL(db, measuring: false)
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: [runId])
            while let row = try cursor.next() {
                let seq: Int = row["seq"], count: Int = row["count"]
                if count < 0 {
                    let data: Data = row["data"]
                    try body(
                        StoredEvent(
                            runId: runId, seq: seq, offsetUs: row["offset_us"],
                            data: String(decoding: data, as: UTF8.self)))
                    continue
                }
                for e in try EventBlocks.events(
                    runId: runId, firstSeq: seq, count: count, layout: row["layout"], data: row["data"])
                {
                    try body(e)
                }
            }
        }
    }

    /// Each stored payload's sequence number, arrival offset and size in bytes — not the payload:
    /// what a timeline needs. Reopening a conversation used to load every payload of every run
    /// for this (16 MB for one 100k-chunk reply); SQLite measures them without handing them over.
    public func eventSizes(runId: String) throws -> [EventSize] {
        try db.read { db in
            let rows = try Row.fetchAll(db, sql: try Self.eventsSQL(db, measuring: true), arguments: [runId])
            var sizes: [EventSize] = []
            for row in rows {
                let seq: Int = row["seq"], count: Int = row["count"], bytes: Int = row["data"]
                if count < 0 {
                    sizes.append(EventSize(seq: seq, offsetUs: row["offset_us"], bytes: bytes))
                } else {
                    sizes += try EventBlocks.sizes(
                        runId: runId, firstSeq: seq, count: count, layout: row["layout"], dataBytes: bytes)
                }
            }
            return sizes
        }
    }

    /// One query over both stores, in sequence order (SQLite merges the two ordered searches, no
    /// sort): blocks (`count` ≥ 0) and the per-payload rows of logs written before blocks
    /// (`count` -1). A log from before blocks, opened read-only, has only the old table.
    /// `measuring` asks for each row's byte length instead of its bytes. The first SELECT names
    /// the columns of both.
    static func eventsSQL(_ db: Database, measuring: Bool) throws -> String {
        let payload = measuring ? "length(CAST(data AS BLOB))" : "CAST(data AS BLOB)"
        let legacy =
            "SELECT seq, -1 AS count, offset_us, NULL AS layout, \(payload) AS data FROM run_events WHERE run_id = ?1"
        guard try db.tableExists("run_event_blocks") else { return legacy + " ORDER BY 1" }
        let blocks = """
            SELECT first_seq AS seq, count, NULL AS offset_us, layout, \(measuring ? "length(data)" : "data") AS data \
            FROM run_event_blocks WHERE run_id = ?1
            """
        return blocks + " UNION ALL " + legacy + " ORDER BY 1"
    }

    /// How many payloads a run stored: from its row (or, while it runs, its tally row), never by
    /// loading its events (a log written before the counts existed and opened read-only counts
    /// them with one aggregate query).
    public func eventCount(runId: String) throws -> Int {
        if let n = try run(id: runId).eventCount { return n }
        return try countedEvents(runId: runId)
    }

    /// A run's stored payloads counted by aggregate queries, for a run whose row has no count:
    /// `logs show` calls it with the run it already read (reading it again would rebuild its
    /// request for nothing).
    func countedEvents(runId: String) throws -> Int {
        try db.read { db in
            var n =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_events WHERE run_id = ?", arguments: [runId]) ?? 0
            if try db.tableExists("run_event_blocks") {
                n +=
                    try Int.fetchOne(
                        db, sql: "SELECT COALESCE(SUM(count), 0) FROM run_event_blocks WHERE run_id = ?",
                        arguments: [runId]) ?? 0
            }
            return n
        }
    }

    /// A run as read: its request from `run_requests` (a run logged before that table keeps it
    /// in its row), and the counts of a run still being written from its tally row (they reach
    /// the run's own row when it ends). Every read of a `RunRecord` goes through here.
    static func completed(_ run: RunRecord, db: Database) throws -> RunRecord {
        var r = run
        if r.requestJson.isEmpty {
            // A row written with `run_requests` holds no request of its own: one missing there is
            // damage, said as such rather than shown as an empty request.
            guard let request = try RunRequests.load(runId: r.id, db: db) else {
                throw RunRequests.Damaged(runId: r.id, reason: "it is not in the log")
            }
            r.requestJson = request
        }
        if r.status == .running { _ = try applyTally(to: &r, db: db) }
        return r
    }

    /// Sets the run's event counts from its tally row; false when it has none (no events yet, an
    /// ended run, or a log from before tally rows, opened read-only).
    static func applyTally(to r: inout RunRecord, db: Database) throws -> Bool {
        guard try db.tableExists("run_event_tallies"),
            let t = try Row.fetchOne(db, sql: "SELECT * FROM run_event_tallies WHERE run_id = ?", arguments: [r.id])
        else { return false }
        r.eventCount = t["event_count"]
        r.eventBytes = t["event_bytes"]
        r.eventsDropped = t["events_dropped"]
        r.eventBytesDropped = t["event_bytes_dropped"]
        r.eventBudget = t["event_budget"]
        return true
    }
}

/// One stored payload's place in a run's timeline, without the payload.
public struct EventSize: Sendable, Equatable {
    public var seq: Int
    public var offsetUs: Int64
    public var bytes: Int
}

/// What a run's row says about its raw events: how many were stored, and how many were counted
/// but not stored because the run went past the event budget.
public struct EventTally: Sendable, Equatable {
    public var stored: Int
    public var storedBytes: Int
    public var dropped: Int
    public var droppedBytes: Int
    /// The budget the run went past (bytes), when it dropped any.
    public var budget: Int?

    public init(_ r: RunRecord) {
        stored = r.eventCount ?? 0
        storedBytes = r.eventBytes ?? 0
        dropped = r.eventsDropped ?? 0
        droppedBytes = r.eventBytesDropped ?? 0
        budget = r.eventBudget
    }

    /// "raw events beyond 256 MiB not stored: 1200 events, 5000000 bytes", or nil.
    public var droppedNote: String? {
        guard dropped > 0 else { return nil }
        return
            "raw events beyond \(budget.map(Self.size) ?? "the budget") not stored: \(dropped) events, \(droppedBytes) bytes"
    }

    /// Bytes as the budget is configured: whole MiB or KiB when exact, else bytes.
    static func size(_ b: Int) -> String {
        if b > 0, b % (1 << 20) == 0 { return "\(b >> 20) MiB" }
        if b > 0, b % (1 << 10) == 0 { return "\(b >> 10) KiB" }
        return "\(b) bytes"
    }
}
