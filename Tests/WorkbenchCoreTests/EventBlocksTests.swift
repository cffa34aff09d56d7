import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// Raw payloads are stored a batch to a row (issue 15): every payload must come back with its
/// exact bytes, sequence number and offset, from blocks and from the per-payload rows of logs
/// written before them, and a damaged block must stop reading with a clear error.
@Suite("Event blocks")
struct EventBlocksTests {
    /// Payloads that stress the byte layout: multi-byte text, an empty payload, escapes, a long one.
    private let texts = [
        "{\"choices\":[{\"delta\":{\"content\":\"你好\"}}]}", "", "😀 \\ud83d\\ude00 \"quoted\"",
        String(repeating: "x", count: 70_000), "[DONE]",
    ]

    private func payloads(from first: Int, _ texts: [String], offset: Int64) -> [RunEvent] {
        texts.enumerated().map {
            .payload(seq: first + $0.offset, offsetMicros: offset + Int64($0.offset), data: $0.element)
        }
    }

    @Test("each batch is one row; every payload comes back exact, in order, with its offset and size")
    func roundTrip() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "blocks")
        log.begin(s)
        log.record(runId: s.runId, payloads(from: 0, texts, offset: 100))
        // A batch whose sequence numbers skip is stored as one block per consecutive run.
        log.record(runId: s.runId, payloads(from: 5, ["a"], offset: 200) + payloads(from: 9, ["b", "c"], offset: 300))
        log.finish(makeResult(s, content: "done"))
        try await log.flush()
        let events = try log.events(runId: s.runId)
        #expect(events.map(\.seq) == [0, 1, 2, 3, 4, 5, 9, 10])
        #expect(events.map(\.data) == texts + ["a", "b", "c"])
        #expect(events.map(\.offsetUs) == [100, 101, 102, 103, 104, 200, 300, 301])
        let sizes = try log.eventSizes(runId: s.runId)
        #expect(sizes.map(\.bytes) == events.map { $0.data.utf8.count })
        #expect(sizes.map(\.seq) == events.map(\.seq))
        #expect(try log.eventCount(runId: s.runId) == 8)
        let rows = try await log.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM run_event_blocks") }
        #expect(rows == 3, "one row for the first batch, two for the batch with a gap")
    }

    @Test("a log written before blocks: its per-payload rows are read, merged in order with blocks")
    func legacyRows() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "old and new")
        log.begin(s)
        log.record(runId: s.runId, payloads(from: 2, ["new2", "new3"], offset: 20))
        log.finish(makeResult(s, content: "done"))
        try await log.flush()
        try await log.db.write { db in
            for seq in [0, 1, 4] {
                try db.execute(
                    sql: "INSERT INTO run_events (run_id, seq, offset_us, data) VALUES (?, ?, ?, ?)",
                    arguments: [s.runId, seq, seq * 10, "old\(seq)"])
            }
        }
        let events = try log.events(runId: s.runId)
        #expect(events.map(\.data) == ["old0", "old1", "new2", "new3", "old4"])
        #expect(try log.eventSizes(runId: s.runId).map(\.offsetUs) == [0, 10, 20, 21, 40])

        // Opened read-only, a log from before blocks has no blocks table at all.
        try await log.db.write { try $0.execute(sql: "DROP TABLE run_event_blocks") }
        #expect(try log.events(runId: s.runId).map(\.data) == ["old0", "old1", "old4"])
        #expect(try log.eventSizes(runId: s.runId).map(\.bytes) == [4, 4, 4])
    }

    @Test("a block whose lengths do not add up stops reading with an error naming the run, never a crash")
    func damaged() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "damaged")
        log.begin(s)
        log.record(runId: s.runId, payloads(from: 0, ["abc", "def"], offset: 0))
        log.finish(makeResult(s, content: "done"))
        try await log.flush()
        for damage in [
            "UPDATE run_event_blocks SET data = X'00'", "UPDATE run_event_blocks SET layout = X'0102', data = X'00'",
            "UPDATE run_event_blocks SET count = 7",
        ] {
            try await log.db.write { try $0.execute(sql: damage) }
            #expect(throws: EventBlocks.Damaged.self) { try log.events(runId: s.runId) }
            #expect(throws: EventBlocks.Damaged.self) { try log.eventSizes(runId: s.runId) }
            let message =
                (try? log.events(runId: s.runId)).map { _ in "" }
                ?? "\(EventBlocks.Damaged(runId: s.runId, firstSeq: 0))"
            #expect(message.contains(s.runId) && message.contains("damaged"))
        }
    }
}
