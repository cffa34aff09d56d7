import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

@Suite("Reducer: keys and run events in, state and effects out")
struct ReducerTests {
    @Test("typing and Ctrl-S send the prompt as a stream; the turn and a streaming reply appear")
    func send() {
        var s = makeState()
        type(&s, "Hello 世界")
        let fx = key(&s, .ctrl("s"))
        #expect(fx == [.startTurn(TurnOrder(input: .prompt("Hello 世界", RequestParameters()), system: nil, mode: .stream))])
        #expect(s.turns.map(\.kind) == [.user, .assistant])
        #expect(s.turns[1].streaming)
        #expect(s.editor.isEmpty)
        #expect(s.editor.history == ["Hello 世界"])
    }

    @Test("Enter inserts a newline; Alt-Enter sends; an empty prompt is not sent")
    func enterAndAltEnter() {
        var s = makeState()
        #expect(key(&s, .altEnter).isEmpty)
        #expect(s.statusMessage?.contains("nothing to send") == true)
        type(&s, "a")
        key(&s, .enter)
        type(&s, "b")
        #expect(s.editor.text == "a\nb")
        guard case let (text, _, _, _, _)? = key(&s, .altEnter).first?.sent else { Issue.record("no send"); return }
        #expect(text == "a\nb")
    }

    @Test("Ctrl-T toggles streaming for the next request")
    func toggleStream() {
        var s = makeState()
        key(&s, .ctrl("t"))
        type(&s, "x")
        guard case let (_, _, _, mode, _)? = key(&s, .ctrl("s")).first?.sent else { Issue.record("no send"); return }
        #expect(mode == .nonStream)
    }

    @Test("run events fill the reply, the meter, the trace and the footer")
    func runEvents() {
        var s = makeState()
        converse(&s, prompt: "weather?", reply: "Let me check.", toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: "{\"city\":\"Paris\"}")])
        #expect(s.turns[1].text == "Let me check.")
        #expect(!s.turns[1].streaming)
        #expect(s.turns[1].footer?.contains("12 in / 51 out") == true)
        #expect(s.turns[1].footer?.contains("TTFT 120 ms") == true)
        #expect(s.activeRunId == nil)
        #expect(s.trace.count == 1)
        #expect(s.trace[0].call.name == "get_weather")
        #expect(s.runs.first?.timeline.count == 3)
        #expect(s.runs.first?.timeline.first?.delta == "Let")
        #expect(s.totals.sessionWouldCost == Decimal(string: "0.0000063"))
    }

    @Test("Esc and Ctrl-C cancel a running request and never quit")
    func cancel() {
        var s = makeState()
        type(&s, "x")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r9", prompt: "x")), .delta("part")]))
        #expect(key(&s, .escape) == [.cancelRun("r9")])
        #expect(key(&s, .ctrl("c")) == [.cancelRun("r9")])
        _ = s.reduce(.run([.cancelled(result(runId: "r9", content: "part", status: .cancelled))]))
        #expect(s.turns[1].status == .cancelled)
        #expect(s.turns[1].text == "part")
        #expect(key(&s, .escape).isEmpty)
        #expect(!s.quitting)
    }

    @Test("q types in the editor; elsewhere it quits only when the prompt is empty (else it is typed); Ctrl-Q always quits")
    func quitKeys() {
        var s = makeState()
        #expect(key(&s, .char("q")).isEmpty)
        #expect(s.editor.text == "q")
        s.focus = .conversation
        #expect(key(&s, .char("q")).isEmpty)
        #expect(s.editor.text == "qq")
        var idle = makeState()
        idle.focus = .conversation
        #expect(key(&idle, .char("q")) == [.quit])
        var t = makeState()
        #expect(key(&t, .ctrl("q")) == [.quit])
    }

    @Test("a terminating signal quits like Ctrl-Q: the running request is cancelled first, and the status says it is being saved")
    func signalQuits() {
        var idle = makeState()
        #expect(idle.reduce(.terminate(signal: SIGTERM)) == [.quit])
        #expect(idle.quitting)
        #expect(idle.statusMessage == nil)

        var s = makeState()
        type(&s, "x")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r9", prompt: "x")), .delta("part")]))
        #expect(s.reduce(.terminate(signal: SIGHUP)) == [.cancelRun("r9"), .quit])
        #expect(s.quitting)
        #expect(s.statusMessage?.contains("saving it to the log") == true)
    }

    @Test("a failed log write is shown at once: status line and the full message kept for the log pane; the reply stays")
    func logWriteFailed() {
        var s = makeState()
        converse(&s, prompt: "hi", reply: "the reply")
        let message = "SQLite error 13: database or disk is full - while executing `INSERT INTO run_events …`"
        #expect(s.reduce(.logWriteFailed(message)).isEmpty)
        #expect(s.statusMessage == "the run log could not be written: \(message) (this run is not saved)")
        #expect(s.logWriteFailure == message)
        #expect(s.turns.last?.text == "the reply")
        #expect(s.turns.last?.status == .ok)
        // The log pane shows the whole message, whatever run is selected.
        let text = Screen.render(s).text
        #expect(text.contains("the run log could not be written"))
        #expect(text.contains("SQLite error 13: database or disk"))
        #expect(text.contains("the reply"))
    }

    @Test("Tab and Shift-Tab cycle focus; a click focuses the pane under it")
    func focus() {
        var s = makeState()
        key(&s, .tab)
        #expect(s.focus == .trace)
        key(&s, .backTab)
        key(&s, .backTab)
        #expect(s.focus == .conversation)
        let layout = ScreenLayout.compute(s)
        let t = layout.panes[.templates]!
        _ = s.reduce(.input(.mouse(MouseEvent(kind: .press, x: t.x + 2, y: t.y + 2))))
        #expect(s.focus == .templates)
    }

    @Test("F1 opens help; any key closes it; Ctrl-P runs an action by name")
    func helpAndPalette() {
        var s = makeState()
        key(&s, .function(1))
        #expect(s.overlay == .help)
        key(&s, .char("x"))
        #expect(s.overlay == nil)
        key(&s, .ctrl("p"))
        type(&s, "toggle stream")
        key(&s, .enter)
        #expect(s.overlay == nil)
        #expect(s.stream == false)
    }

    @Test("the parameters form rejects an out-of-range value on its field and applies valid ones")
    func parameters() {
        var s = makeState()
        key(&s, .function(2))
        key(&s, .down)
        type(&s, "1.5")
        key(&s, .enter)
        guard case .parameters(let f)? = s.overlay else { Issue.record("form closed"); return }
        #expect(f.error?.contains("temperature") == true)
        key(&s, .backspace)
        key(&s, .backspace)
        key(&s, .backspace)
        type(&s, "0.2")
        key(&s, .down); key(&s, .down); key(&s, .down); key(&s, .down)  // max_tokens, stop, do_sample
        key(&s, .char(" "))
        key(&s, .down)
        key(&s, .char(" "))
        key(&s, .enter)
        #expect(s.overlay == nil)
        #expect(s.parameters.temperature == 0.2)
        #expect(s.parameters.doSample == false)
        #expect(s.parameters.jsonMode)
    }

    @Test("regenerate rewinds to the last prompt; edit-and-resend replaces a turn")
    func regenerateAndEdit() {
        var s = makeState()
        converse(&s, prompt: "one", reply: "first", runId: "a")
        converse(&s, prompt: "two", reply: "second", runId: "b")
        guard case let (text, _, _, _, rewind)? = key(&s, .ctrl("r")).first?.sent else { Issue.record("no regenerate"); return }
        #expect(text == "two")
        #expect(rewind == 1)
        #expect(s.turns.map(\.text) == ["one", "first", "two", ""])
        _ = s.reduce(.run([.started(start(runId: "c", prompt: "two")), .finished(result(runId: "c", content: "again"))]))
        key(&s, .ctrl("p"))
        type(&s, "earlier")
        key(&s, .enter)
        guard case .picker(let p)? = s.overlay else { Issue.record("no picker"); return }
        #expect(p.items.count == 2)
        key(&s, .up)
        key(&s, .enter)
        #expect(s.editor.text == "one")
        #expect(s.editingTurn == 0)
        type(&s, "!")
        guard case let (t2, _, _, _, r2)? = key(&s, .ctrl("s")).first?.sent else { Issue.record("no resend"); return }
        #expect(t2 == "one!")
        #expect(r2 == 0)
        #expect(s.turns.count == 2)
    }

    @Test("scrolling up stops following the stream; End follows again")
    func scrollFollow() {
        var s = makeState(80, 24)
        converse(&s, prompt: "long", reply: String(repeating: "word ", count: 400))
        s.focus = .conversation
        key(&s, .pageUp)
        #expect(!s.conversationScroll.follow)
        let top = s.conversationScroll.top
        _ = s.reduce(.run([.started(start(runId: "z", prompt: "x"))]))
        #expect(s.conversationScroll.top == top)
        key(&s, .end)
        #expect(s.conversationScroll.follow)
    }

    @Test("a narrow terminal collapses to one pane (the prompt with the conversation above it); Tab switches the visible pane")
    func collapse() {
        var s = makeState()
        _ = s.reduce(.input(.resize(width: 80, height: 24)))
        #expect(s.isCollapsed)
        let layout = ScreenLayout.compute(s)
        #expect(Set(layout.panes.keys) == [.editor, .conversation])
        #expect(layout.rule != nil)
        key(&s, .tab)
        #expect(ScreenLayout.compute(s).panes.keys.map { $0 } == [.trace])
    }

    @Test("editor history: Up on the first line recalls earlier prompts, Down returns to the draft")
    func history() {
        var s = makeState()
        type(&s, "first"); key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "h1", prompt: "first")), .finished(result(runId: "h1", content: "ok"))]))
        type(&s, "draft")
        key(&s, .up)
        #expect(s.editor.text == "first")
        key(&s, .down)
        #expect(s.editor.text == "draft")
    }

    @Test("F3 offers the providers, current one selected; choosing one asks the runtime to switch")
    func provider() {
        var s = makeState()
        s.providerNames = ["zai", "local", "sim", "vllm"]
        key(&s, .function(3))
        guard case .picker(let p)? = s.overlay else { Issue.record("no picker"); return }
        #expect(p.selection == 2)
        key(&s, .down)
        #expect(key(&s, .enter) == [.switchProvider("vllm", system: nil)])
        _ = s.reduce(.providerChanged(name: "vllm", model: "qwen"))
        #expect(s.providerName == "vllm" && s.model == "qwen")
    }

    @Test("a second send while a request runs is refused with a hint")
    func busy() {
        var s = makeState()
        type(&s, "x"); key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "b1", prompt: "x"))]))
        type(&s, "y")
        #expect(key(&s, .ctrl("s")).isEmpty)
        #expect(s.statusMessage?.contains("Esc") == true)
    }
}
