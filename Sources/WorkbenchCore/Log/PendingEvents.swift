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
    /// One run's payloads taken since the last hand-over, already encoded as blocks, and the
    /// counts for its tally row.
    ///
    /// A batch is encoded when the log takes it, on the reader's thread, rather than when the
    /// writer stores it: a network read's array is then let go as soon as its read is handled,
    /// not 20 ms later. Held until the commit, the reads of a full-speed stream were megabytes of
    /// arrays in flight, and the allocator kept taking fresh pages for the next reads (a third of
    /// a 100,000-chunk run's page faults); what waits now is the blocks, a tenth of the bytes.
    struct RunEvents {
        var runId: String
        /// Finished blocks, in order; `open` continues the last.
        var blocks: [EventBlocks.Block] = []
        var open = EventBlocks.Builder()
        var stored = 0
        var keptBytes = 0
        var dropped = 0
        var droppedBytes = 0
        var budget = 0

        /// Appends rows to the blocks: one block per run of consecutive sequence numbers.
        mutating func append(_ rows: ArraySlice<(Int, Int64, RawPayload)>) {
            for row in rows {
                if open.count > 0 && row.0 != open.firstSeq + open.count { closeBlock() }
                if open.count == 0 { open.firstSeq = row.0 }
                open.append(offset: row.1, payload: row.2)
                stored += 1
            }
        }

        mutating func closeBlock() {
            guard open.count > 0 else { return }
            blocks.append(EventBlocks.Block(firstSeq: open.firstSeq, count: open.count, encoded: open.encoded))
            open = EventBlocks.Builder()
        }
    }

    /// The runs with payloads pending, in the order their first batch came (nearly always one).
    var runs: [RunEvents] = []
    /// Payload bytes taken since the last hand-over (they already count in the log's backlog).
    var bytes = 0
    /// A timer will hand the batches over; one per `delay` at most.
    var timerArmed = false

    /// How long a payload may wait for its commit. Below what a user or a tailing reader could
    /// notice, and above the few milliseconds between a fast stream's reads.
    static let delay = DispatchTimeInterval.milliseconds(20)
    /// Past this many payload bytes the batches go at once: a bound on the memory held here and
    /// on the size of one stored block.
    static let byteLimit = 1 << 20

    /// Takes one `RunLog.record` call: `rows` are the kept ones (a prefix of the batch), and the
    /// counts are the batch's.
    mutating func add(
        runId: String, rows: ArraySlice<(Int, Int64, RawPayload)>, keptBytes: Int, dropped: Int, droppedBytes: Int,
        budget: Int
    ) {
        let i: Int
        if let last = runs.indices.last, runs[last].runId == runId {
            i = last
        } else if let found = runs.firstIndex(where: { $0.runId == runId }) {
            i = found
        } else {
            runs.append(RunEvents(runId: runId))
            i = runs.count - 1
        }
        runs[i].append(rows)
        runs[i].keptBytes += keptBytes
        runs[i].dropped += dropped
        runs[i].droppedBytes += droppedBytes
        runs[i].budget = budget
        bytes += keptBytes
    }

    /// Takes every run's pending blocks and counts, leaving none.
    mutating func take() -> (runs: [RunEvents], bytes: Int)? {
        guard !runs.isEmpty else { return nil }
        defer {
            runs = []
            bytes = 0
        }
        for i in runs.indices { runs[i].closeBlock() }
        return (runs, bytes)
    }

    /// Writes taken runs in one transaction: each run's blocks, and its tally row once, with the
    /// batches' counts summed.
    static func write(_ runs: [RunEvents], db: Database) throws {
        for run in runs {
            try EventBlocks.insert(run.blocks, runId: run.runId, db: db)
            // The counts go to the run's small tally row, not its `runs` row: that row holds the
            // request, which carries the whole conversation, and rewriting it (and re-indexing it
            // for search) on every batch made each reply of a long conversation cost more.
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
            ).execute(
                arguments: [
                    run.runId, run.stored, run.keptBytes, run.dropped, run.droppedBytes, run.dropped, run.budget,
                ])
        }
    }
}
