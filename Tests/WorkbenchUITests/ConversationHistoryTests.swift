import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// The conversation pane shows what the model receives: replays end, edited prompts replace
/// the old ones on screen, and replies left out of the history say so (issue 11, defects 1, 2, 16).
@Suite("Conversation == history: replay, edit and resend, cancelled replies")
struct ConversationHistoryTests {
    let loop = ToolTraceTests()

    /// Edits the second call's result in the trace and replays the loop from there.
    func replay(_ s: inout AppState) {
        s.focus = .trace
        s.traceSelection = 1
        key(&s, .char("e"))
        key(&s, .ctrl("u"))
        type(&s, #"{"time":"14:05"}"#)
        key(&s, .enter)
    }

    func screen(_ s: AppState) -> String { Screen.render(s).text }

    /// The conversation pane alone (the log pane shows earlier requests, old text included).
    func conversation(_ s: AppState) -> String {
        var g = Grid(width: 80, height: 30)
        ConversationView.render(s, in: Rect(x: 0, y: 0, width: 80, height: 30), into: &g)
        return g.text
    }

    // MARK: Defect 1: a replayed loop ends

    @Test("a replay answered in one step ends the loop: not running, Ctrl-S sends again, the reply is shown")
    func replayEnds() {
        var s = makeState()
        loop.playLoop(&s)
        replay(&s)
        #expect(s.loopRunning)
        var step = start(runId: "r3", prompt: "Weather and time in Paris?")
        step.parentRunId = "r1"
        // The events a replay's loop reports (Session.runLoop with a parentRunId).
        _ = s.reduce(.run([.started(step), .delta("It is 21 °C and 14:05."), .finished(result(runId: "r3", content: "It is 21 °C and 14:05.")),
                           .loopEnded(.answered(steps: 1))]))
        #expect(!s.isRunning)
        #expect(s.turns.last?.text == "It is 21 °C and 14:05.")
        #expect(!screen(s).contains("● live"))
        type(&s, "and tomorrow?")
        guard case let (text, _, _, _, _)? = key(&s, .ctrl("s")).first?.sent else { Issue.record("Ctrl-S did not send after the replay"); return }
        #expect(text == "and tomorrow?")
    }

    @Test("a loop cancelled while a step streams ends there: the step stops, nothing stays running")
    func loopCancelledMidStep() {
        var s = makeState()
        loop.playLoop(&s)
        replay(&s)
        var step = start(runId: "r3", prompt: "Weather and time in Paris?")
        step.parentRunId = "r1"
        _ = s.reduce(.run([.started(step), .delta("It is")]))
        #expect(key(&s, .escape) == [.cancelRun("r3")])
        // The loop's task was cancelled: its step's own end never comes, the loop's does.
        _ = s.reduce(.run([.loopEnded(.stopped(.cancelled))]))
        #expect(!s.isRunning)
        #expect(s.activeRunId == nil)
        #expect(s.turns.contains { $0.runId == "r3" && !$0.streaming && $0.status == .cancelled })
    }

    @Test("Ctrl-N leaves a loop that never ended: the new conversation is not running")
    func newConversationLeavesStuckLoop() {
        var s = makeState()
        loop.playLoop(&s)
        replay(&s)
        #expect(s.isRunning)
        let effects = key(&s, .ctrl("n"))
        #expect(effects.contains(.newConversation(system: nil)))
        _ = s.reduce(.conversationLoaded(id: "c2", system: nil, turns: [], runs: []))
        #expect(!s.isRunning)
        type(&s, "hello")
        #expect(key(&s, .ctrl("s")).first != nil)
    }

    @Test("a replay that cannot start says so and does not stay running")
    func replayAborted() {
        var s = makeState()
        loop.playLoop(&s)
        replay(&s)
        _ = s.reduce(.sendAborted("cannot replay: that step's request or tools are no longer at hand"))
        #expect(!s.isRunning)
        #expect(s.turns.last?.text.contains("cannot replay") == true)
    }

    // MARK: Defect 2: edit and resend shows the new prompt

    @Test("edit and resend: the conversation shows the edited prompt, before and after the reply")
    func editAndResendShowsNewText() {
        var s = makeState()
        converse(&s, prompt: "What is the capital of Franse?", reply: "Paris.")
        _ = conversation(s)  // lays the turns out (and caches them), as the running program would
        key(&s, .ctrl("e"))
        s.editor.text = ""
        type(&s, "What is the capital of Italy?")
        guard case let (text, _, _, _, rewind)? = key(&s, .ctrl("s")).first?.sent else { Issue.record("no resend"); return }
        #expect(text == "What is the capital of Italy?")
        #expect(rewind == 0)
        var shown = conversation(s)
        #expect(shown.contains("capital of Italy?"))
        #expect(!shown.contains("Franse"))
        _ = s.reduce(.run([.started(start(runId: "run2", prompt: text)), .delta("Rome."), .finished(result(runId: "run2", content: "Rome."))]))
        shown = conversation(s)
        #expect(shown.contains("capital of Italy?"))
        #expect(shown.contains("Rome."))
        #expect(!shown.contains("Franse"))
        #expect(!shown.contains("Paris."))
    }

    @Test("turn ids are never reused in a conversation, so no new turn is drawn with an old one's text")
    func uniqueTurnIds() {
        var s = makeState()
        converse(&s, prompt: "one", reply: "1")
        key(&s, .ctrl("r"))
        _ = s.reduce(.run([.started(start(runId: "run2", prompt: "one")), .finished(result(runId: "run2", content: "uno"))]))
        let ids = s.turns.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(s.turnSerial > ids.count, "the regenerated turns got fresh ids")
    }

    @Test("resending a prompt after one whose reply was not kept rewinds the session to the prompts it holds")
    func rewindCountsHistoryOnly() {
        var s = makeState()
        converse(&s, prompt: "first", reply: "", runId: "run1", error: RunError(kind: .api, code: "1302", httpStatus: 429, message: "rate limited"))
        converse(&s, prompt: "second", reply: "Two.", runId: "run2")
        // The failed first turn never joined the session's history: the second prompt is its first.
        key(&s, .ctrl("e"))
        guard case let (_, _, _, _, rewind)? = key(&s, .ctrl("s")).first?.sent else { Issue.record("no resend"); return }
        #expect(rewind == 0)
    }

    // MARK: Defect 16: cancelled replies

    func cancelled(_ s: inout AppState, prompt: String, partial: String, runId: String) {
        type(&s, prompt)
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: runId, prompt: prompt)), .delta(partial)]))
        _ = s.reduce(.run([.cancelled(result(runId: runId, content: partial, status: .cancelled))]))
    }

    @Test("a cancelled reply is not sent to the model by default, and the conversation says so")
    func cancelledNotSent() {
        var s = makeState()
        cancelled(&s, prompt: "tell me a long story", partial: "Once upon", runId: "run1")
        let reply = s.turns.last
        #expect(reply?.status == .cancelled)
        #expect(reply?.inHistory == false)
        #expect(screen(s).contains("not sent to the model"))
        #expect(s.statusMessage?.contains("not sent to the model") == true)
        // The next prompt's rewind point does not count the dropped turn.
        #expect(s.historyUserTurns(before: s.turns.count) == 0)
    }

    @Test("the palette sends cancelled replies back as history; the turn then says nothing is left out")
    func cancelledSentWhenChosen() {
        var s = makeState()
        #expect(PaletteState().matches.contains(.toggleSendCancelled))
        #expect(s.perform(.toggleSendCancelled) == [])
        #expect(s.sendCancelledReplies)
        #expect(s.statusMessage?.contains("sent back to the model") == true)
        cancelled(&s, prompt: "tell me a long story", partial: "Once upon", runId: "run1")
        #expect(s.turns.last?.inHistory == true)
        #expect(!screen(s).contains("not sent to the model"))
        #expect(s.historyUserTurns(before: s.turns.count) == 1)
        #expect(s.perform(.toggleSendCancelled) == [])
        #expect(!s.sendCancelledReplies)
    }

    @Test("a failed reply is marked as left out of the history too (it never was sent back)")
    func failedMarked() {
        var s = makeState()
        converse(&s, prompt: "hi", reply: "", error: RunError(kind: .transport, message: "connection refused"))
        #expect(s.turns.last?.inHistory == false)
        #expect(screen(s).contains("not sent to the model"))
    }
}
