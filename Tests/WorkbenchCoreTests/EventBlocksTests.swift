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
            .payload(seq: first + $0.offset, offsetMicros: offset + Int64($0.offset), data: RawPayload($0.element))
        }
    }

    /// A log holding one finished run whose payloads were recorded in `batches`.
    private func loggedRun(_ prompt: String, _ batches: [[RunEvent]]) async throws -> (RunLog, RunStart) {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: prompt)
        log.begin(s)
        for batch in batches { log.record(runId: s.runId, batch) }
        log.finish(makeResult(s, content: "done"))
        try await log.flush()
        return (log, s)
    }

    @Test("a row per consecutive run of a group; every payload comes back exact, in order, with its offset and size")
    func roundTrip() async throws {
        // The two batches are committed as one group (`PendingEvents`), stored as one block per
        // run of consecutive sequence numbers: the second batch's numbers skip.
        let (log, s) = try await loggedRun(
            "blocks",
            [
                payloads(from: 0, texts, offset: 100),
                payloads(from: 5, ["a"], offset: 200) + payloads(from: 9, ["b", "c"], offset: 300),
            ])
        let events = try log.events(runId: s.runId)
        #expect(events.map(\.seq) == [0, 1, 2, 3, 4, 5, 9, 10])
        #expect(events.map(\.data) == texts + ["a", "b", "c"])
        #expect(events.map(\.offsetUs) == [100, 101, 102, 103, 104, 200, 300, 301])
        let sizes = try log.eventSizes(runId: s.runId)
        #expect(sizes.map(\.bytes) == events.map { $0.data.utf8.count })
        #expect(sizes.map(\.seq) == events.map(\.seq))
        #expect(try log.eventCount(runId: s.runId) == 8)
        let rows = try await log.db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM run_event_blocks") }
        #expect(rows == 2, "one row for 0…5 (the first batch and the second's head), one for 9…10")
    }

    @Test("a log written before blocks: its per-payload rows are read, merged in order with blocks")
    func legacyRows() async throws {
        let (log, s) = try await loggedRun("old and new", [payloads(from: 2, ["new2", "new3"], offset: 20)])
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
        let (log, s) = try await loggedRun("damaged", [payloads(from: 0, ["abc", "def"], offset: 0)])
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

/// The delta coding itself (`EventBlocks.Builder` and the readers), without a database.
@Suite("Event block coding")
struct EventBlockCodingTests {
    /// Payloads (arrival offset, text) in order, as one block.
    private func encode(_ payloads: [(Int64, String)]) -> EventBlocks.Encoded {
        var block = EventBlocks.Builder()
        for (offset, text) in payloads { block.append(offset: offset, payload: RawPayload(text)) }
        return block.encoded
    }

    private func roundTrip(_ payloads: [(Int64, String)]) throws -> [StoredEvent] {
        let block = encode(payloads)
        return try EventBlocks.events(
            runId: "r", firstSeq: 7, count: payloads.count, layout: Data(block.layout), data: Data(block.data))
    }

    @Test(
        "random payloads that share heads and tails, split anywhere (inside multi-byte characters too), come back exact"
    )
    func randomRoundTrip() throws {
        var rng = SystemRandomNumberGenerator()
        let pieces = [
            "{\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"", "你好", "世界", "😀", "\\u00e9", "é", "\"}}]}",
            "a", "", "\n",
        ]
        for _ in 0..<300 {
            var payloads: [(Int64, String)] = []
            var offset = Int64.random(in: -5...1_000_000, using: &rng)
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                    .joined()
                payloads.append((offset, text))
                offset += Int64.random(in: -3...50_000, using: &rng)
            }
            let back = try roundTrip(payloads)
            #expect(back.map(\.data) == payloads.map(\.1))
            #expect(back.map(\.offsetUs) == payloads.map(\.0))
            #expect(back.map(\.seq) == Array(7..<7 + payloads.count))
            let block = encode(payloads)
            let sizes = try EventBlocks.sizes(
                runId: "r", firstSeq: 7, count: payloads.count, layout: Data(block.layout), dataBytes: block.data.count)
            #expect(sizes.map(\.bytes) == payloads.map { $0.1.utf8.count })
        }
    }

    @Test("a full-speed stream's chunks are stored in a fraction of their size")
    func compact() throws {
        let tokens = ["Hello", " world", ",", " 你好", "世界", " streaming", " tokens", "\n"]
        let payloads = (0..<1000).map { i in
            (
                Int64(i / 250) * 1000,
                "{\"id\":\"chatcmpl-abc\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"glm-4-32b-0414-128k\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\(tokens[i % tokens.count])\"},\"finish_reason\":null}]}"
            )
        }
        let raw = payloads.reduce(0) { $0 + $1.1.utf8.count }
        let block = encode(payloads)
        #expect(
            (block.layout.count + block.data.count) * 8 < raw,
            "stored \(block.layout.count + block.data.count) of \(raw) bytes")
        #expect(try roundTrip(payloads).map(\.data) == payloads.map(\.1))
    }

    @Test(
        "hostile layouts (a shared head longer than the payload before, truncated varints, a huge count) throw, never crash"
    )
    func hostile() {
        let cases: [(count: Int, layout: [UInt8], data: [UInt8])] = [
            (1, [0, 3, 2, 0], [0x61]), // shares 2 bytes with no previous payload
            (2, [0, 1, 0, 0, 0, 1, 1, 1], [0x61]), // head + tail (2) past the previous length (1)
            (1, [0, 0x80], []), // a varint cut short
            (1, [0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0, 0], []), // a length past 2^31
            (Int.max, [0, 0, 0, 0], []),
            (-1, [], []),
            (1, [0, 2, 0, 0, 9], [0x61, 0x62]), // bytes left over in the layout
        ]
        for c in cases {
            #expect(throws: EventBlocks.Damaged.self) {
                try EventBlocks.events(
                    runId: "r", firstSeq: 0, count: c.count, layout: Data(c.layout), data: Data(c.data))
            }
        }
    }
}
