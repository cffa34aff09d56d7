import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// `glmwb logs show` reads what it shows (issue 15): the counts from the run's row, the payloads
/// only with `--events`, and then one row at a time, in order.
@Suite("Run show")
struct RunShowTests {
    /// A run of `n` payloads, logged in batches as a stream logs them; ended unless `running`.
    private func logRun(_ log: RunLog, events n: Int, running: Bool = false) async throws -> RunStart {
        let s = makeStart(prompt: "many events")
        log.begin(s)
        for batch in stride(from: 0, to: n, by: 5000) {
            log.record(
                runId: s.runId,
                (batch..<min(n, batch + 5000)).map {
                    .payload(
                        seq: $0, offsetMicros: Int64($0) * 10,
                        data: "{\"choices\":[{\"delta\":{\"content\":\"t\($0)\"}}]}")
                })
        }
        if !running { log.finish(makeResult(s, content: "done")) }
        try await log.flush()
        return s
    }

    private func show(_ log: RunLog, _ id: String, json: Bool = false, events: Bool = false) throws -> [String] {
        var pieces: [String] = []
        try RunShow.write(try log.run(id: id), log: log, json: json, events: events) { pieces.append($0) }
        return pieces
    }

    @Test("without --events, no payload is read: the count of a run of many events comes from its row")
    func countsWithoutPayloads() async throws {
        let (log, sql) = try tracedLog()
        let s = try await logRun(log, events: 60_000)
        let running = try await logRun(log, events: 12_000, running: true)
        sql.withLock { $0.removeAll() }
        let text = try show(log, s.runId).joined()
        #expect(text.contains("## Run \(s.runId)"))
        #expect(text.contains("\n### events: 60000\n"))
        let json = try #require(JSONValue.parse(try show(log, s.runId, json: true).joined()))
        #expect(json["event_count"] == .number(60_000))
        #expect(json["events"] == nil)
        #expect(
            try show(log, running.runId).joined().contains("\n### events: 12000\n"),
            "a running run's count, from its tally")
        #expect(try log.eventCount(runId: running.runId) == 12_000)
        let touched = sql.withLock { $0 }.filter(readsEvents)
        #expect(touched.isEmpty, "logs show without --events read the events: \(touched)")
    }

    @Test("--events writes every payload in order, each as it is read, through one query")
    func eventsStreamed() async throws {
        let (log, sql) = try tracedLog()
        let s = try await logRun(log, events: 30_000)
        sql.withLock { $0.removeAll() }
        let pieces = try show(log, s.runId, events: true)
        let lines = pieces.filter { $0.contains(" ms  #") }
        #expect(lines.count == 30_000, "one write per payload: printed as read, not gathered")
        let seqs = lines.compactMap { line in
            line.split(separator: "#").last?.split(separator: " ").first.flatMap { Int($0) }
        }
        #expect(seqs == Array(0..<30_000))
        #expect(lines.last?.hasSuffix("\"t29999\"}}]}\n") == true)
        #expect(sql.withLock { $0 }.filter(readsEvents).count == 1)
        let json = try #require(JSONValue.parse(try show(log, s.runId, json: true, events: true).joined()))
        let events = try #require(json["events"]?.arrayValue)
        #expect(events.count == 30_000)
        #expect(events.enumerated().allSatisfy { $0.element["seq"] == .number(Double($0.offset)) })
    }
}
