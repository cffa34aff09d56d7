import Foundation
import GRDB
import Testing
@testable import WorkbenchCore

/// The run log under faults: failed writes, a log it cannot write, a hostile stream, impossible
/// numbers in old rows, a run killed before its usage arrived.
@Suite("Run log faults")
struct RunLogFaultTests {
    private func payloads(_ range: Range<Int>, size: Int) -> [RunEvent] {
        range.map { .payload(seq: $0, offsetMicros: Int64($0), data: RawPayload(String(repeating: "x", count: size))) }
    }

    @Test("past the event budget, events are counted, not stored; the row and the JSON say so")
    func eventBudget() async throws {
        let log = try RunLog(dataDir: tempDir(), eventBudget: 1024)
        let s = makeStart(prompt: "flood")
        log.begin(s)
        log.record(runId: s.runId, payloads(0..<6, size: 100))        // 600 bytes: stored
        log.record(runId: s.runId, payloads(6..<16, size: 100))       // 400 fit, 600 do not
        log.record(runId: s.runId, [.payload(seq: 16, offsetMicros: 16, data: "y")])  // after the cut: dropped too
        log.finish(makeResult(s, content: "done"))
        try await log.flush()
        let r = try log.run(id: s.runId)
        #expect(r.eventCount == 10 && r.eventBytes == 1000, "a prefix of the stream within 1 KiB")
        #expect(r.eventsDropped == 7 && r.eventBytesDropped == 601)
        #expect(try log.eventCount(runId: s.runId) == 10)
        #expect(try log.events(runId: s.runId).map(\.seq) == Array(0..<10))
        #expect(EventTally(r).droppedNote == "raw events beyond 1 KiB not stored: 7 events, 601 bytes")
        let json = RunRecordJSON.object(r)
        #expect(json["event_count"] == .number(10))
        #expect(json["events_not_stored"]?["events"] == .number(7))
        #expect(json["events_not_stored"]?["note"]?.stringValue?.contains("beyond 1 KiB") == true)
        #expect(RunExport.markdown([r]).contains("- events: raw events beyond 1 KiB not stored: 7 events, 601 bytes"))
        var seen: [Int] = []
        try log.forEachEvent(runId: s.runId) { seen.append($0.seq) }
        #expect(seen == Array(0..<10))
    }

    @Test("a failed write reaches the handler at once, `failure` and `flush()`; the run stays readable from memory")
    func writeFailure() async throws {
        let dir = tempDir()
        let log = try RunLog(dataDir: dir)
        // A deterministic failing write: the events insert is refused by SQLite itself.
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        try await q.write {
            try $0.execute(
                sql: """
                    CREATE TRIGGER refuse BEFORE INSERT ON run_event_blocks
                    BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END
                    """)
        }
        let seen = Mutex<[RunLog.WriteFailure]>([])
        log.setFailureHandler { f in seen.withLock { $0.append(f) } }
        let s = makeStart(prompt: "lost?")
        log.begin(s)
        log.record(runId: s.runId, payloads(0..<3, size: 10))
        log.record(runId: s.runId, payloads(3..<6, size: 10))
        log.finish(makeResult(s, content: "the reply"))
        await #expect(throws: RunLog.WriteFailure.self) { try await log.flush() }
        let failure = try #require(log.failure)
        #expect(seen.withLock { $0 } == [failure], "the handler is called once, with the first failure")
        #expect(failure.description.hasPrefix("the run log could not be written: "))
        #expect(failure.description.contains(RunLog.path(inDataDir: dir)))
        #expect(failure.cause.contains("database or disk is full"))
        let result = makeResult(s, content: "the reply")
        #expect(log.record(for: result)?.content == "the reply")
        #expect(log.record(for: result)?.status == .ok)
    }

    @Test("a bad data dir is one line naming the cause")
    func badDataDir() throws {
        let base = tempDir()
        FileManager.default.createFile(atPath: base + "/file", contents: Data("x".utf8))
        #expect {
            try RunLog(dataDir: base + "/file/logs")
        } throws: { e in
            "\(e)" == "cannot use \(base)/file/logs as the data dir: a file is in the way"
        }
        try FileManager.default.createDirectory(atPath: base + "/d/glmwb.sqlite", withIntermediateDirectories: true)
        #expect {
            try RunLog(dataDir: base + "/d")
        } throws: { e in
            "\(e)".hasPrefix("cannot use \(base)/d as the data dir: ") && "\(e)".contains("is a directory") && !"\(e)".contains("\n")
        }
    }

    /// A `-shm` that is a directory cannot be opened for writing, even by root: SQLite then
    /// reads but refuses every write. With a dead run to mark, the read-write open fails.
    @Test("a reader falls back to a read-only open when the read-write open fails")
    func readOnlyFallback() async throws {
        let dir = tempDir()
        let s = makeStart(prompt: "still readable")
        do {
            let log = try RunLog(dataDir: dir)
            log.begin(s)
            try await log.flush()
        }
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        try await q.write { try $0.execute(sql: "UPDATE runs SET pid = 999999") }
        try q.close()
        try FileManager.default.createDirectory(atPath: RunLog.path(inDataDir: dir) + "-shm", withIntermediateDirectories: false)
        #expect(throws: RunLog.OpenError.self) { try RunLog(dataDir: dir) }
        let reader = try RunLog(readingDataDir: dir)
        #expect(reader.readOnly)
        #expect(try reader.runs().map(\.id) == [s.runId])
        #expect(try reader.run(id: s.runId).prompt == "still readable")
        _ = try reader.stats(by: .model)
    }

    @Test("stats never trap on huge counts and leave out negative ones")
    func overflowSafeStats() async throws {
        let dir = tempDir()
        let log = try RunLog(dataDir: dir)
        let a = makeStart(prompt: "huge 1"), b = makeStart(prompt: "huge 2"), c = makeStart(prompt: "negative"), d = makeStart(prompt: "fine")
        for s in [a, b, c, d] {
            log.begin(s)
            log.finish(makeResult(s, content: "x"))
        }
        try await log.flush()
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        try await q.write { db in
            for id in [a.runId, b.runId] {
                try db.execute(sql: "UPDATE runs SET prompt_tokens = ?, completion_tokens = ? WHERE id = ?", arguments: [Int.max, Int.max, id])
            }
            try db.execute(sql: "UPDATE runs SET prompt_tokens = -5, completion_tokens = -100, cost_usd = '-100.0000005' WHERE id = ?", arguments: [c.runId])
        }
        let stats = try log.stats(by: .model)
        #expect(stats.total.runs == 4)
        #expect(stats.total.tokensOverflowed)
        #expect(stats.total.promptTokensLabel == "overflow")
        #expect(stats.total.invalidRuns == 1)
        #expect(stats.total.invalidNote == "+ 1 run with invalid usage (not counted)")
        #expect(stats.total.costUSD == Decimal(string: "0.0000024"), "three valid runs at $0.0000008; the negative one left out")
        #expect(stats.total.json["prompt_tokens"] == .null)
        #expect(stats.total.json["tokens_overflowed"] == .bool(true))
    }

    @Test("a run killed before its usage arrived keeps its price; its cost is unknown, not 'no price'")
    func killedRunPrice() async throws {
        let dir = tempDir()
        var s = makeStart(prompt: "cut off")
        s.provider = "zai"
        s.price = PriceTable.glm4_32b
        do {
            let log = try RunLog(dataDir: dir)
            log.begin(s)
            try await log.flush()
        }
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        try await q.write { try $0.execute(sql: "UPDATE runs SET pid = 999999") }
        let r = try RunLog(dataDir: dir).run(id: s.runId)
        #expect(r.status == .interrupted)
        #expect(r.price == PriceTable.glm4_32b)
        let md = RunExport.markdown([r])
        #expect(!md.contains("no price"), "\(md)")
        #expect(md.contains("- price: $0.10/M in"))
        #expect(md.contains("cost unknown (the run was cut off before usage arrived)"))
        #expect(RunSummary.line(r).contains("cost unknown (the run was cut off before usage arrived)"))
        #expect(RunRecordJSON.object(r)["price"]?["as_of"] != nil)
    }
}
