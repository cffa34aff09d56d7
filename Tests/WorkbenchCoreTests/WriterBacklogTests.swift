import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// Queues a write that waits until the returned semaphore is signalled: what the log hands its
/// writer after this waits in the writer's queue (and counts in the backlog) until then.
func holdWriter(_ log: RunLog) -> DispatchSemaphore {
    let gate = DispatchSemaphore(value: 0)
    log.db.asyncWrite({ _ in gate.wait() }, completion: { _, _ in })
    return gate
}

/// A stream waits for the log's writer once it is too far behind, so a long stream never holds
/// its payloads in the writer's queue (issue 15).
@Suite("Writer backlog")
struct WriterBacklogTests {
    @Test("a stream past the limit waits until the writer is back within it")
    func waitsPastTheLimit() async throws {
        let backlog = WriterBacklog(limit: 100)
        backlog.add(60)
        await backlog.waitForRoom() // within the limit: no wait
        backlog.add(90)
        let passed = Mutex(false)
        let waiter = Task {
            await backlog.waitForRoom()
            passed.withLock { $0 = true }
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(!passed.withLock { $0 }, "150 bytes behind a limit of 100: the stream must wait")
        backlog.done(40) // 110: still past it
        try await Task.sleep(for: .milliseconds(100))
        #expect(!passed.withLock { $0 })
        backlog.done(60) // 50: within
        await waiter.value
        #expect(passed.withLock { $0 })
    }

    @Test("the log's backlog counts the payloads queued, and is back to zero once they are written or failed")
    func logBacklogDrains() async throws {
        let dir = tempDir()
        let log = try RunLog(dataDir: dir)
        let s = makeStart(prompt: "backlog")
        log.begin(s)
        // Hold the writer: the batches queue behind this write.
        let gate = holdWriter(log)
        for k in 0..<4 {
            log.record(
                runId: s.runId, (k * 10..<k * 10 + 10).map { .payload(seq: $0, offsetMicros: 0, data: "0123456789") })
        }
        #expect(log.backlog.bytes == 400)
        gate.signal()
        try await log.flush()
        #expect(log.backlog.bytes == 0)
        // A write that fails still gives its bytes back.
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        try await q.write {
            try $0.execute(
                sql: "CREATE TRIGGER refuse BEFORE INSERT ON run_event_blocks BEGIN SELECT RAISE(FAIL, 'no'); END")
        }
        log.record(runId: s.runId, [.payload(seq: 40, offsetMicros: 0, data: "abc")])
        try? await log.flush()
        #expect(log.backlog.bytes == 0)
    }
}
