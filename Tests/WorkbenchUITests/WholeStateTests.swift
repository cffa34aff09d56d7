import Foundation
import Testing

@testable import WorkbenchCore
@testable import WorkbenchUI

/// `AppState` is `Equatable`, so a reducer test can say what the *whole* next state is: a key
/// that should change one field is also checked to change nothing else.
@Suite("Whole-state reducer assertions")
struct WholeStateTests {
    @Test("[ in the log pane selects the previous run and changes nothing else (no typed text, no status)")
    func logPreviousRunWholeState() {
        var s = makeState()
        converse(&s, prompt: "one", reply: "first", runId: "r1")
        converse(&s, prompt: "two", reply: "second", runId: "r2")
        s.focus = .log
        s.logScroll = Scroll(top: 3, follow: false)
        var expected = s
        expected.logRunIndex = 0
        expected.logScroll = Scroll(top: 0, follow: false)

        let effects = key(&s, .char("["))

        // r1's timeline was let go when r2 started: the pane asks the log for it.
        #expect(effects == [.loadTimeline(runId: "r1")])
        #expect(s == expected)
    }

    @Test("states differing only in their layout cache (derived data) are equal; any other field makes them differ")
    func layoutCacheNotCompared() {
        let a = AppState(
            width: 80, height: 24, providerName: "sim", model: "m", conversationId: "c1", layoutCache: LayoutCache())
        var b = AppState(
            width: 80, height: 24, providerName: "sim", model: "m", conversationId: "c1", layoutCache: LayoutCache())
        #expect(a.layoutCache !== b.layoutCache)
        #expect(a == b)
        b.runs = [
            RunState(
                runId: "r", mode: .stream, model: "m", provider: "sim", requestJSON: "{}",
                startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1)
        ]
        #expect(a != b)
    }
}
