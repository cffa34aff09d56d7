import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// A log is closed when the process ends, even while something still holds it
/// (`RunLog.closeDatabase`, which `RunLog.closeAll` calls for every writer from `glmwb`'s exit).
@Suite("Closing the run log")
struct RunLogCloseTests {
    @Test("closing a log still held checkpoints its runs into the database file and removes the WAL")
    func closeWhileHeld() async throws {
        let dir = tempDir()
        let log = try RunLog(dataDir: dir)
        let s = makeStart(prompt: "closed while held")
        log.begin(s)
        log.record(runId: s.runId, [.payload(seq: 0, offsetMicros: 5, data: "{\"a\":1}")])
        log.finish(makeResult(s, content: "kept"))
        // No flush: the payload is still pending and the writes may still be queued.
        let path = RunLog.path(inDataDir: dir)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"), "the log is in WAL mode while open")
        log.closeDatabase()
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "the WAL was not checkpointed and removed")
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
        // The database file alone holds the run (opened as a copy of it would be: no WAL).
        var readOnly = Configuration()
        readOnly.readonly = true
        let copy = try DatabaseQueue(path: "file:\(path)?immutable=1", configuration: readOnly)
        let (content, events) = try await copy.read { db in
            let events = "SELECT SUM(count) FROM run_event_blocks WHERE run_id = ?"
            return (
                try String.fetchOne(db, sql: "SELECT content FROM runs WHERE id = ?", arguments: [s.runId]),
                try Int.fetchOne(db, sql: events, arguments: [s.runId])
            )
        }
        #expect(content == "kept" && events == 1)
        // What still holds the log fails cleanly: a write failure, not a crash.
        log.begin(makeStart(prompt: "too late"))
        await #expect(throws: (any Error).self) { try await log.flush() }
    }
}
