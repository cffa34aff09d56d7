import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// Issue 11, defect 8: an expanded tool call longer than the trace pane could not be scrolled,
/// so its result was unreadable except by resizing the terminal.
@Suite("Scrolling the tool trace")
struct TraceScrollTests {
    @Test("PgDn scrolls an expanded call to its end; ↑↓ bring the selection back into view")
    func pageThroughAnExpandedCall() {
        var s = makeState()
        let call = ToolCall(id: "call_1", name: "lookup", arguments: #"{"q":"x"}"#)
        type(&s, "look it up")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "look it up")),
                           .toolCall(PartialToolCall(index: 0, id: call.id, type: "function", name: call.function.name, arguments: call.function.arguments)),
                           .finished(result(runId: "r1", content: "", toolCalls: [call]))]))
        let long = "{" + (1...60).map { "\"k\($0)\": \($0)" }.joined(separator: ", ") + "}"
        _ = s.reduce(.run([.toolOutcomes(runId: "r1", [ToolOutcome(callId: call.id, name: "lookup", arguments: call.function.arguments,
                                                                    status: .ok, result: long, executor: "static")]),
                           .loopEnded(.answered(steps: 1))]))
        s.focus = .trace
        key(&s, .enter)
        #expect(s.trace.first?.expanded == true)
        func traceText() -> String {
            let layout = ScreenLayout.compute(s)
            var g = Grid(width: s.width, height: s.height)
            TraceView.render(s, in: layout.inner(.trace)!, into: &g)
            return g.text
        }
        #expect(!traceText().contains("\"k60\""), "the end of the result is below the pane at first")
        for _ in 0..<20 { key(&s, .pageDown) }
        #expect(traceText().contains("\"k60\" : 60"), "PgDn reaches the end")
        #expect(traceText().contains("took"), "and the timings line under it")
        key(&s, .pageUp)
        key(&s, .up)
        #expect(s.traceScroll == 0)
        #expect(traceText().contains("▾ lookup"), "the selection is back in view")
    }
}
