import Foundation
import GRDB

/// Payload batches the log has taken and not yet handed to its writer. They are committed
/// together: `delay` after the first of them arrived at the latest, sooner once they hold
/// `byteLimit` of payloads, and always before any other write of the log (issue 15).
///
/// A full-speed stream is hundreds of network reads a second. With a transaction per read, the
/// per-commit work — the WAL frames of the same B-tree pages written again, the file locks, a
/// wake-up of the writer's thread — was a seventh of a 100,000-chunk run's CPU. Grouping the
/// reads of 20 ms turns 251 commits into about 20, and keeps what a killed process can lose
/// to the events of those 20 ms (besides the writes already queued, as before).
///
/// Order is kept by construction: every hand-off to the writer happens under one lock, and each
/// other write first hands over what is pending, so a run's end is never written before its
/// events, nor one run's events after the next run's start.
struct PendingEvents {
    /// One `RunLog.record` call: the rows kept and the counts for the run's tally row.
    struct Batch {
        var runId: String
        var rows: [(Int, Int64, RawPayload)]
        var keptBytes: Int
        var dropped: Int
        var droppedBytes: Int
        var budget: Int
    }

    var batches: [Batch] = []
    /// Payload bytes in `batches` (they already count in the log's backlog).
    var bytes = 0
    /// A timer will hand the batches over; one per `delay` at most.
    var timerArmed = false

    /// How long a payload may wait for its commit. Below what a user or a tailing reader could
    /// notice, and above the few milliseconds between a fast stream's reads.
    static let delay = DispatchTimeInterval.milliseconds(20)
    /// Past this many payload bytes the batches go at once: a bound on the memory held here and
    /// on the size of one stored block.
    static let byteLimit = 1 << 20

    /// Takes every batch, leaving none.
    mutating func take() -> (batches: [Batch], bytes: Int)? {
        guard !batches.isEmpty else { return nil }
        defer {
            batches = []
            bytes = 0
        }
        return (batches, bytes)
    }

    /// Writes taken batches in one transaction: each run's rows as blocks (a run's consecutive
    /// reads join into one block), and each run's tally row once, with the batches' counts summed.
    static func write(_ batches: [Batch], db: Database) throws {
        var order: [String] = []
        var byRun: [String: [Batch]] = [:]
        for b in batches {
            if byRun[b.runId] == nil { order.append(b.runId) }
            byRun[b.runId, default: []].append(b)
        }
        for runId in order {
            let runBatches = byRun[runId] ?? []
            try EventBlocks.insert(runBatches.map(\.rows), runId: runId, db: db)
            // The counts go to the run's small tally row, not its `runs` row: that row holds the
            // request, which carries the whole conversation, and rewriting it (and re-indexing it
            // for search) on every batch made each reply of a long conversation cost more.
            let stored = runBatches.reduce(0) { $0 + $1.rows.count }
            let keptBytes = runBatches.reduce(0) { $0 + $1.keptBytes }
            let dropped = runBatches.reduce(0) { $0 + $1.dropped }
            let droppedBytes = runBatches.reduce(0) { $0 + $1.droppedBytes }
            let budget = runBatches.last?.budget ?? 0
            try db.cachedStatement(
                sql: """
                    INSERT INTO run_event_tallies
                        (run_id, event_count, event_bytes, events_dropped, event_bytes_dropped, event_budget)
                    VALUES (?, ?, ?, ?, ?, CASE WHEN ? > 0 THEN ? END)
                    ON CONFLICT (run_id) DO UPDATE SET
                        event_count = event_count + excluded.event_count,
                        event_bytes = event_bytes + excluded.event_bytes,
                        events_dropped = events_dropped + excluded.events_dropped,
                        event_bytes_dropped = event_bytes_dropped + excluded.event_bytes_dropped,
                        event_budget = COALESCE(excluded.event_budget, event_budget)
                    """
            ).execute(arguments: [runId, stored, keptBytes, dropped, droppedBytes, dropped, budget])
        }
    }
}
