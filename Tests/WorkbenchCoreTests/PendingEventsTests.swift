import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// A stream's payload batches are committed in groups (`PendingEvents`): fewer transactions,
/// every payload stored exactly, in order with the log's other writes, and none left behind.
@Suite("Grouped payload commits")
struct PendingEventsTests {
    /// Committed payload rows of a run, read by another connection (what another process sees).
    private func committed(_ dir: String, _ runId: String) throws -> (events: Int, blocks: Int) {
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        return try q.read { db in
            let row = try Row.fetchOne(
                db, sql: "SELECT COALESCE(SUM(count), 0) AS n, COUNT(*) AS b FROM run_event_blocks WHERE run_id = ?",
                arguments: [runId])
            return (row?["n"] ?? 0, row?["b"] ?? 0)
        }
    }

    private func payloads(_ range: Range<Int>) -> [RunEvent] {
        range.map { .payload(seq: $0, offsetMicros: Int64($0) * 7, data: "{\"n\":\($0),\"text\":\"é\\u00e9\"}") }
    }

    @Test("reads recorded together are one transaction and one block; every payload reads back exact")
    func groupsReads() async throws {
        let (log, sql) = try tracedLog()
        let s = makeStart(prompt: "grouped")
        log.begin(s)
        try await log.flush()
        sql.withLock { $0.removeAll() }
        // 40 reads of 25 payloads, recorded back to back as a fast stream does.
        for k in 0..<40 { log.record(runId: s.runId, payloads(k * 25..<k * 25 + 25)) }
        log.finish(makeResult(s, content: "done"))
        try await log.flush()
        let writes = sql.withLock { $0 }
        let inserts = writes.filter { $0.contains("INSERT OR REPLACE INTO run_event_blocks") }.count
        let commits = writes.filter { $0 == "COMMIT" || $0.hasPrefix("COMMIT") }.count
        #expect(inserts < 40 && commits < 40, "40 reads: \(inserts) block inserts in \(commits) commits")
        let events = try log.events(runId: s.runId)
        #expect(events.map(\.seq) == Array(0..<1000))
        let sent = payloads(0..<1000).map { if case .payload(_, _, let d) = $0 { d.text } else { "" } }
        #expect(events.map(\.data) == sent)
        #expect(events.map(\.offsetUs) == (0..<1000).map { Int64($0) * 7 })
        let r = try log.run(id: s.runId)
        #expect(r.eventCount == 1000 && r.status == .ok, "the end is written after the events it counts")
    }

    @Test("a read's bytes are let go as soon as the log took its batch, not when it is committed")
    func readsAreNotHeld() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "reads let go")
        log.begin(s)
        var read = Array("data: {\"a\":1}\n\ndata: {\"a\":2}\n\n".utf8)
        let address = read.withUnsafeBufferPointer { $0.baseAddress }
        do {
            // Two payloads that are ranges of the read, as the SSE parser makes them.
            let batch: [RunEvent] = [
                .payload(seq: 0, offsetMicros: 1, data: RawPayload(read, range: 6..<13)),
                .payload(seq: 1, offsetMicros: 2, data: RawPayload(read, range: 21..<28)),
            ]
            log.record(runId: s.runId, batch)
        }
        // Nothing else holds the read now (the commit is up to 20 ms away): writing to it is
        // in place, where a shared array would be copied first.
        let written = read.withUnsafeMutableBufferPointer { p in
            p[0] = UInt8(ascii: "D")
            return p.baseAddress
        }
        #expect(UnsafePointer(written) == address, "the pending batch still held the read's array")
        try await log.flush()
        #expect(try log.events(runId: s.runId).map(\.data) == [#"{"a":1}"#, #"{"a":2}"#])
    }

    @Test("a batch is committed without a flush, and a log let go at once still stores its last batch")
    func nothingLeftBehind() async throws {
        let dir = tempDir()
        var log: RunLog? = try RunLog(dataDir: dir)
        let s = makeStart(prompt: "left behind")
        log?.begin(s)
        try await log?.flush()
        log?.record(runId: s.runId, payloads(0..<10))
        // No flush: the group's timer commits it.
        var seen = try committed(dir, s.runId)
        for _ in 0..<200 where seen.events < 10 {
            try await Task.sleep(for: .milliseconds(10))
            seen = try committed(dir, s.runId)
        }
        #expect(seen.events == 10, "a batch waited for a flush to be committed")
        // Let go right after a batch, before its group's commit: it is written anyway.
        log?.record(runId: s.runId, payloads(10..<15))
        log = nil
        for _ in 0..<200 where seen.events < 15 {
            try await Task.sleep(for: .milliseconds(10))
            seen = try committed(dir, s.runId)
        }
        #expect(seen.events == 15, "the batch pending when the log was let go is lost")
    }

    @Test("past a megabyte pending, the batches go to the writer at once")
    func byteLimit() async throws {
        let dir = tempDir()
        // No group timer within the test's reach: a loaded machine can pause it for more than
        // 20 ms between two records, and the timer would then hand the first batch over.
        let path = RunLog.path(inDataDir: dir)
        let log = RunLog(
            path: path, db: try RunLog.openForWriting(path: path), readOnly: false,
            eventBudget: RunLog.defaultEventBudget, groupDelay: .seconds(3600))
        let s = makeStart(prompt: "big reads")
        log.begin(s)
        try await log.flush()
        // Hold the writer, so what is handed over waits in its queue (and in the backlog).
        let gate = holdWriter(log)
        let big = String(repeating: "x", count: 300_000)
        for k in 0..<3 { log.record(runId: s.runId, [.payload(seq: k, offsetMicros: 0, data: RawPayload(big))]) }
        #expect(log.pendingBytes == 900_000, "below a megabyte, reads wait for their group")
        log.record(runId: s.runId, [.payload(seq: 3, offsetMicros: 0, data: RawPayload(big))])
        #expect(log.pendingBytes == 0, "1.2 MB pending: handed to the writer at once, not after the timer")
        #expect(log.backlog.bytes == 1_200_000, "and counted in the backlog until written")
        gate.signal()
        try await log.flush()
        #expect(log.backlog.bytes == 0)
        let stored = try committed(dir, s.runId)
        #expect(stored.events == 4 && stored.blocks == 1, "the four reads are one group: \(stored)")
    }

    @Test("two runs recorded in one group keep their own events and counts")
    func twoRuns() async throws {
        let dir = tempDir()
        let log = try RunLog(dataDir: dir)
        let a = makeStart(prompt: "stream", runId: RunID.make())
        let b = makeStart(prompt: "non-stream", runId: RunID.make())
        log.begin(a)
        log.begin(b)
        for k in 0..<6 {
            log.record(runId: k % 2 == 0 ? a.runId : b.runId, payloads(k * 10..<k * 10 + 10))
        }
        log.finish(makeResult(a, content: "a"))
        log.finish(makeResult(b, content: "b"))
        try await log.flush()
        #expect(try log.events(runId: a.runId).map(\.seq) == [0..<10, 20..<30, 40..<50].flatMap { Array($0) })
        #expect(try log.events(runId: b.runId).map(\.seq) == [10..<20, 30..<40, 50..<60].flatMap { Array($0) })
        #expect(try log.run(id: a.runId).eventCount == 30 && log.run(id: b.runId).eventCount == 30)
    }
}
