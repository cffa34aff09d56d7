import Foundation
import Testing

@testable import WorkbenchCore
@testable import WorkbenchUI

/// Event timelines are kept only for what the run log pane can show (issue 15): the running run
/// and the selected one. The others are let go when a run starts and read back from the log when
/// the pane is moved to them.
@Suite("Run log pane: timelines kept for what is shown")
struct TimelineReleaseTests {
    @Test("a new run lets go of the finished runs' timelines; [ asks the log for one, and its answer fills it")
    func releaseAndLoad() {
        var s = makeState()
        converse(&s, prompt: "one", reply: "a b c", runId: "r1")
        converse(&s, prompt: "two", reply: "d e", runId: "r2")
        converse(&s, prompt: "three", reply: "f", runId: "r3")
        #expect(s.runs.map(\.timelineReleased) == [true, true, false])
        #expect(s.runs.map(\.timeline.count) == [0, 0, 1])

        s.focus = .log
        #expect(key(&s, .char("[")) == [.loadTimeline(runId: "r2")])
        #expect(eventsHeader(s.runs[1]) == "── events (kept in the log) ──")
        let entries = [
            TimelineEntry(seq: 0, offsetMs: 110, bytes: 40), TimelineEntry(seq: 1, offsetMs: 135, bytes: 41),
        ]
        _ = s.reduce(.timelineLoaded(runId: "r2", entries))
        #expect(s.runs[1].timeline == entries && !s.runs[1].timelineReleased)
        #expect(eventsHeader(s.runs[1]) == "── events (2) ──")
        // A timeline the state already holds is not asked for again, nor replaced by a late answer.
        #expect(key(&s, .char("]")).isEmpty, "r3 is the newest: its timeline is in memory")
        _ = s.reduce(.timelineLoaded(runId: "r3", []))
        #expect(s.runs[2].timeline.count == 1)
    }

    @Test("the run the pane shows keeps its timeline when another run starts (a tool loop's next step)")
    func selectedKept() {
        var s = makeState()
        converse(&s, prompt: "one", reply: "a b c", runId: "r1")
        converse(&s, prompt: "two", reply: "d e", runId: "r2")
        s.focus = .log
        _ = key(&s, .char("["))
        #expect(s.selectedRun?.runId == "r1")
        _ = s.reduce(.timelineLoaded(runId: "r1", [TimelineEntry(seq: 0, offsetMs: 1, bytes: 2)]))
        _ = s.reduce(.run([.started(start(runId: "r3", prompt: "two"))]))
        #expect(s.runs.map(\.timelineReleased) == [false, true, false])
    }

    /// The run log pane's line over a run's events.
    private func eventsHeader(_ run: RunState) -> String? {
        LogView.messageLines(run, width: 100).map(\.text).last { $0.hasPrefix("── events") }
    }
}
