import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// A log whose every connection reports the SQL it runs, triggers included: what a reader or a
/// writer touched is then a fact a test can check.
func tracedLog() throws -> (log: RunLog, sql: Mutex<[String]>) {
    let sql = Mutex<[String]>([])
    var config = Configuration()
    config.prepareDatabase { db in
        db.trace { event in sql.withLock { $0.append(event.description) } }
    }
    let dir = tempDir()
    let pool = try DatabasePool(path: RunLog.path(inDataDir: dir), configuration: config)
    try RunLog.migrator.migrate(pool)
    return (
        RunLog(path: RunLog.path(inDataDir: dir), db: pool, readOnly: false, eventBudget: RunLog.defaultEventBudget),
        sql
    )
}

/// Whether a traced statement reads stored payloads, from either store (`EventBlocks`).
func readsEvents(_ sql: String) -> Bool { sql.contains("FROM run_events") || sql.contains("FROM run_event_blocks") }

/// A run's event counts while it streams live in its own small row, not in the run's row: that
/// row holds the request, which carries the whole conversation (issue 15).
@Suite("Event tallies")
struct EventTallyTests {
    @Test("a batch of payloads never rewrites the run's row; finishing moves the counts into it")
    func batchesLeaveTheRunRow() async throws {
        let (log, sql) = try tracedLog()
        let s = makeStart(prompt: "long conversation")
        log.begin(s)
        try await log.flush()
        sql.withLock { $0.removeAll() }
        for k in 0..<5 {
            log.record(
                runId: s.runId, (k * 10..<k * 10 + 10).map { .payload(seq: $0, offsetMicros: Int64($0), data: "abc") })
        }
        try await log.flush()
        let writes = sql.withLock { $0 }
        #expect(
            !writes.contains {
                $0.contains("UPDATE \"runs\"") || $0.contains("UPDATE runs") || $0.contains("runs_fts")
            },
            "a batch touched the run's row or its search index: \(writes.filter { $0.contains("runs") })")
        #expect(try log.run(id: s.runId).eventCount == 50, "a running run's count is read from its tally")
        log.finish(makeResult(s, content: "the reply"))
        try await log.flush()
        let r = try log.run(id: s.runId)
        #expect(r.eventCount == 50 && r.eventBytes == 150 && r.eventsDropped == 0)
        let left = try await log.db.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_event_tallies") }
        #expect(left == 0, "the tally row goes once the counts are in the run's row")
    }

    @Test("a run whose process died gets the counts of the batches it saved")
    func abandonedRunKeepsItsCounts() async throws {
        let dir = tempDir()
        let log = try RunLog(dataDir: dir, eventBudget: 100)
        let s = makeStart(prompt: "killed mid-stream")
        log.begin(s)
        log.record(runId: s.runId, (0..<12).map { .payload(seq: $0, offsetMicros: Int64($0), data: "0123456789") })
        try await log.flush()
        // The process that ran it is gone: no process has this pid.
        try await log.db.write {
            try $0.execute(sql: "UPDATE runs SET pid = 2147483646 WHERE id = ?", arguments: [s.runId])
        }
        let reopened = try RunLog(dataDir: dir)
        let r = try reopened.run(id: s.runId)
        #expect(r.status == .interrupted)
        #expect(r.eventCount == 10 && r.eventBytes == 100, "ten payloads fit the 100-byte budget")
        #expect(r.eventsDropped == 2 && r.eventBytesDropped == 20 && r.eventBudget == 100)
        let left = try await reopened.db.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM run_event_tallies")
        }
        #expect(left == 0)
    }
}
