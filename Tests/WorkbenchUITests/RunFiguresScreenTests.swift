import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// Issue 11, defects 11 and 17 on screen: a reopened conversation shows its runs' logged figures,
/// live figures are the executor's count, and a tool loop's last reply shows the loop's total.
@Suite("Run figures on screen")
struct RunFiguresScreenTests {
    func record(_ id: String, parent: String? = nil, chunks: Int = 14, calls: [ToolCall] = []) -> RunRecord {
        var s = start(runId: id, prompt: "Weather?")
        s.parentRunId = parent
        var rec = RunRecord(start: s)
        var r = result(runId: id, content: calls.isEmpty ? "Sunny." : "", toolCalls: calls)
        r.chunkCount = chunks
        rec.apply(r)
        return rec
    }

    @Test("a reopened conversation's runs show their logged chunks and tokens (was 0 chunks, tokens 0 in / 0 out)")
    func reopened() {
        var s = makeState()
        let rec = record("run1")
        let resumed = ConversationRebuild.turns(ResumedConversation(conversationId: "c", records: [rec])!)
        _ = s.reduce(.conversationLoaded(id: "c", system: nil, turns: resumed, runs: [RunState(record: rec, timeline: [])]))
        let meter = MeterView.runLine(s).map(\.text).joined()
        #expect(meter.contains("14 chunks"), "\(meter)")
        #expect(meter.contains("12 in / 51 out"), "\(meter)")
        let totals = MeterView.totalsLine(s).map(\.text).joined()
        #expect(totals.contains("conversation $0 (12 in / 51 out)"), "\(totals)")
    }

    @Test("a reopened run whose end was never logged shows unknown counts and cost (—), not zeros")
    func reopenedUnfinished() {
        var rec = RunRecord(start: start(runId: "cut", prompt: "Weather?"))
        rec.content = "Sunny and"
        let turns = ConversationRebuild.turns(ResumedConversation(conversationId: "c", records: [rec])!)
        let footer = turns.last?.footer ?? ""
        #expect(turns.last?.kind == .assistant)
        #expect(footer.contains("— in / — out"), "\(footer)")
        #expect(footer.contains("cost —"), "\(footer)")
        #expect(!footer.contains("0 in"), "\(footer)")
    }

    @Test("live figures are the executor's count: chunks of a tool-call stream, and the final figures agree")
    func liveIsTally() {
        var s = makeState()
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "Weather?"))]))
        var acc = StreamAccumulator()
        var tally = RunTally()
        let chunk = try! JSONDecoder().decode(ChatChunk.self, from: Data(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"get_weather","arguments":"{}"}}]}}]}"#.utf8))
        let change = acc.apply(chunk)
        tally.count(change, arrivedMs: 30)
        tally.count(acc.apply(try! JSONDecoder().decode(ChatChunk.self, from: Data(#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#.utf8))), arrivedMs: 31)
        _ = s.reduce(.run([.payload(seq: 0, offsetMicros: 30_000, data: "{}"), .toolCall(acc.toolCallsByIndex[0]!),
                           .payload(seq: 1, offsetMicros: 31_000, data: "{}"), .tally(tally)]))
        let live = s.runs[0].figures
        #expect(live.chunks.value == 2)
        #expect(live.ttftMs.value == 30)
        #expect(MeterView.runLine(s).map(\.text).joined().contains("2 chunks"))
    }

    @Test("a tool loop's last reply shows the loop's total beside the last step's figures; a reopened loop too")
    func loopTotal() {
        var s = makeState()
        let call = ToolCall(id: "c1", name: "get_weather", arguments: "{}")
        converse(&s, prompt: "Weather?", reply: "", runId: "r1", toolCalls: [call])
        var second = start(runId: "r2", prompt: "Weather?")
        second.parentRunId = "r1"
        _ = s.reduce(.run([.started(second), .delta("Sunny."), .finished(result(runId: "r2", content: "Sunny."))]))
        _ = s.reduce(.run([.loopEnded(.answered(steps: 2))]))
        let footer = s.turns.last { $0.runId == "r2" }?.footer ?? ""
        #expect(footer.contains("tool loop total: 2 requests · tokens 24 in / 102 out"), "\(footer)")
        let records = [record("r1", calls: [call]), record("r2", parent: "r1")]
        let turns = ConversationRebuild.turns(ResumedConversation(conversationId: "c", records: records)!)
        #expect(turns.last?.footer?.contains("tool loop total: 2 requests") == true)
    }
}
