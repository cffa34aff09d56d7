import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

@Suite("Tool loop in the workbench: trace, questions, replay")
struct ToolTraceTests {
    static let weatherCall = ToolCall(id: "call_w1", name: "get_weather", arguments: #"{"city":"Paris"}"#)
    static let timeCall = ToolCall(id: "call_t1", name: "get_time", arguments: #"{"timezone":"Europe/Paris"}"#)

    func outcome(_ call: ToolCall, _ status: ToolOutcome.Status, _ result: String, ms: Double = 12) -> ToolOutcome {
        var o = ToolOutcome(callId: call.id, name: call.function.name, arguments: call.function.arguments, status: status, result: result, executor: "static")
        o.durationMs = ms
        return o
    }

    func partial(_ call: ToolCall, index: Int) -> PartialToolCall {
        PartialToolCall(index: index, id: call.id, type: "function", name: call.function.name, arguments: call.function.arguments)
    }

    /// Plays a two-step loop: the first reply calls two tools (one fails), the second answers.
    func playLoop(_ s: inout AppState) {
        type(&s, "Weather and time in Paris?")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "Weather and time in Paris?")),
                           .toolCall(partial(Self.weatherCall, index: 0)), .toolCall(partial(Self.timeCall, index: 1)),
                           .finished(result(runId: "r1", content: "", toolCalls: [Self.weatherCall, Self.timeCall]))]))
        var failed = outcome(Self.timeCall, .failed, #"{"error":"get_time failed (exit 3)"}"#, ms: 1530)
        failed.stderr = "clock not found"
        failed.exitStatus = 3
        failed.executor = "command ./time.sh"
        _ = s.reduce(.run([.toolOutcomes(runId: "r1", [outcome(Self.weatherCall, .ok, #"{"temp_c":21}"#), failed])]))
        var second = start(runId: "r2", prompt: "Weather and time in Paris?")
        second.parentRunId = "r1"
        _ = s.reduce(.run([.started(second), .delta("It is 21 °C in Paris; the time is unknown."),
                           .finished(result(runId: "r2", content: "It is 21 °C in Paris; the time is unknown.")),
                           .loopEnded(.answered(steps: 2))]))
    }

    @Test("a loop shows each step's reply, the tool results between them, and the outcomes in the trace")
    func loopTurns() {
        var s = makeState()
        playLoop(&s)
        #expect(s.turns.map(\.kind) == [.user, .assistant, .note, .assistant])
        #expect(s.turns[2].text.contains(#"▸ get_weather(city: "Paris") → ok 12 ms"#))
        #expect(s.turns[2].text.contains("get_time(timezone: \"Europe/Paris\") → failed 1.53 s"))
        #expect(s.turns[3].text == "It is 21 °C in Paris; the time is unknown.")
        #expect(s.trace.map { $0.outcome?.status } == [.ok, .failed])
        #expect(!s.isRunning)
        #expect(!s.loopRunning)
    }

    @Test("between steps the loop counts as running: sending waits, Esc stops the loop")
    func betweenSteps() {
        var s = makeState()
        type(&s, "go")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "go")), .finished(result(runId: "r1", content: "", toolCalls: [Self.weatherCall])),
                           .toolOutcomes(runId: "r1", [outcome(Self.weatherCall, .ok, "{}")])]))
        #expect(s.isRunning)
        type(&s, "another")
        #expect(key(&s, .ctrl("s")).isEmpty)
        #expect(key(&s, .escape) == [.cancelAll])
    }

    @Test("the step limit is shown in the conversation, not silent")
    func stepLimit() {
        var s = makeState()
        type(&s, "go")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "go")), .finished(result(runId: "r1", content: "", toolCalls: [Self.weatherCall])),
                           .toolOutcomes(runId: "r1", [outcome(Self.weatherCall, .ok, "{}")]), .loopEnded(.stepLimit(1))]))
        #expect(s.turns.last?.text.contains("step limit (1 requests)") == true)
        #expect(s.statusMessage?.contains("step limit") == true)
        #expect(!s.isRunning)
    }

    @Test("approval questions queue up and are answered one at a time")
    func approvals() {
        var s = makeState()
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "q1", kind: .approve, call: Self.weatherCall, executor: "command ./w.sh")))
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "q2", kind: .approve, call: Self.timeCall, executor: "mcp demo")))
        guard case .toolQuestion(let first) = s.overlay else { Issue.record("no question shown"); return }
        #expect(first.id == "q1")
        #expect(key(&s, .char("y")) == [.answerTool(id: "q1", approved: true, text: nil)])
        guard case .toolQuestion(let second) = s.overlay else { Issue.record("the second question was lost"); return }
        #expect(second.id == "q2")
        #expect(key(&s, .char("n")) == [.answerTool(id: "q2", approved: false, text: nil)])
        #expect(s.overlay == nil)
        // "a" allows this one and every later one.
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "q3", kind: .approve, call: Self.timeCall, executor: "mcp demo")))
        #expect(key(&s, .char("a")) == [.answerTool(id: "q3", approved: true, text: nil)])
        #expect(s.approvalPolicy == .all)
    }

    @Test("a question that arrives while help is open waits, then shows when help closes")
    func questionWaits() {
        var s = makeState()
        key(&s, .function(1))
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "q1", kind: .approve, call: Self.weatherCall, executor: "command ./w.sh")))
        #expect(s.overlay == .help)
        key(&s, .char("x"))
        guard case .toolQuestion(let q) = s.overlay else { Issue.record("the waiting question was not shown"); return }
        #expect(q.id == "q1")
    }

    @Test("a manual result is typed or pasted; Esc gives none")
    func manual() {
        var s = makeState()
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "m1", kind: .manualResult, call: Self.weatherCall, executor: "manual")))
        type(&s, #"{"temp_c": 21}"#)
        key(&s, .altEnter)
        _ = s.reduce(.input(.key(.paste("sunny"))))
        #expect(key(&s, .enter) == [.answerTool(id: "m1", approved: true, text: "{\"temp_c\": 21}\nsunny")])
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "m2", kind: .manualResult, call: Self.weatherCall, executor: "manual")))
        #expect(key(&s, .escape) == [.answerTool(id: "m2", approved: false, text: nil)])
    }

    @Test("e on a call edits its result and replays the loop from that step as a new branch")
    func editAndReplay() {
        var s = makeState()
        playLoop(&s)
        s.focus = .trace
        s.traceSelection = 1
        key(&s, .char("e"))
        guard case .textPrompt(let p) = s.overlay else { Issue.record("no editor for the result"); return }
        #expect(p.text == #"{"error":"get_time failed (exit 3)"}"#)
        key(&s, .ctrl("u"))
        type(&s, #"{"time":"14:05"}"#)
        let effects = key(&s, .enter)
        // The reducer plans the branch from what it shows: r1's request, its reply's calls and
        // the results, the edited one included; the runtime only sends it.
        guard case .replayLoop(let order)? = effects.first, effects.count == 1 else { Issue.record("no replay: \(effects)"); return }
        #expect(order.parentRunId == "r1")
        #expect(order.request.messages.map(\.role) == [.user, .assistant, .tool, .tool])
        #expect(order.request.messages.last?.content == #"{"time":"14:05"}"#)
        #expect(order.request.messages[2].content == #"{"temp_c":21}"#)
        #expect(s.trace[1].outcome?.edited == true)
        #expect(s.trace[1].outcome?.result == #"{"time":"14:05"}"#)
        // The old second step is gone from the screen; a new reply waits under the edited results.
        #expect(s.turns.map(\.kind) == [.user, .assistant, .note, .assistant])
        #expect(s.turns[2].text.contains("✎"))
        #expect(s.turns[3].text.isEmpty && s.turns[3].streaming)
        #expect(s.isRunning)
    }

    @Test("Z.AI's web search results show in the trace as a server-run tool")
    func webSearch() {
        var s = makeState()
        type(&s, "news?")
        key(&s, .ctrl("s"))
        let hit = WebSearchResult(title: "Z.AI API reference", content: "Chat completions…", link: "https://example.com/zai", refer: "ref_1")
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "news?")), .webSearch([hit]), .finished(result(runId: "r1", content: "Found it."))]))
        let item = s.trace.last
        #expect(item?.call.name == "web_search")
        #expect(item?.outcome?.executor == "Z.AI server")
        #expect(item?.outcome?.result.contains("https://example.com/zai") == true)
        #expect(item?.outcome?.note?.contains("1 result") == true)
    }

    @Test("a request with Z.AI's retrieval tool shows it in the trace as a server-run tool with its knowledge base")
    func retrieval() {
        var s = makeState()
        type(&s, "warranty?")
        key(&s, .ctrl("s"))
        var begin = start(runId: "r1", prompt: "warranty?")
        let kb: JSONValue = .object([
            "knowledge_id": .string("kb-7"), "prompt_template": .string("{{knowledge}} {{question}}"),
        ])
        begin.request.tools = [ToolSpec(type: "retrieval", retrieval: kb)]
        begin.requestJSON = WireJSON.string(begin.request)
        _ = s.reduce(.run([.started(begin), .finished(result(runId: "r1", content: "Two years [1]."))]))
        let item = s.trace.last
        #expect(item?.call.name == "retrieval")
        #expect(item?.outcome?.executor == "Z.AI server")
        #expect(item?.call.arguments.contains("\"knowledge_id\":\"kb-7\"") == true)
        #expect(item?.outcome?.result.contains("kb-7") == true)
        // A request without it adds nothing.
        _ = s.reduce(.run([.started(start(runId: "r2", prompt: "hi")), .finished(result(runId: "r2", content: "Hi"))]))
        #expect(s.trace.filter { $0.call.name == "retrieval" }.count == 1)
    }

    @Test("the palette cycles the approval policy: ask, all, none")
    func approvalPolicy() {
        var s = makeState()
        #expect(s.approvalPolicy == .ask)
        _ = s.perform(.toolApproval)
        #expect(s.approvalPolicy == .all)
        _ = s.perform(.toolApproval)
        #expect(s.approvalPolicy == .none)
        #expect(s.statusMessage?.contains("never allowed") == true)
        _ = s.perform(.toolApproval)
        #expect(s.approvalPolicy == .ask)
    }

    @Test("the palette offers the tools of tools.yaml with typed prompts, and says when there are none")
    func toggleTools() {
        var s = makeState()
        _ = s.perform(.toggleTools)
        #expect(!s.offerCatalogTools)
        #expect(s.statusMessage?.contains("no tools declared") == true)
        s.toolCatalog = [ToolDefinition(spec: ToolSpec(function: FunctionSpec(name: "get_weather")), executor: .manual)]
        _ = s.perform(.toggleTools)
        #expect(s.offerCatalogTools)
        #expect(s.statusMessage?.contains("get_weather") == true)
        _ = s.perform(.toggleTools)
        #expect(!s.offerCatalogTools)
    }

    @Test("the palette toggles web search for the next requests")
    func webSearchToggle() {
        var s = makeState()
        _ = s.perform(.toggleWebSearch)
        #expect(s.parameters.tools?.first?.type == "web_search")
        type(&s, "news?")
        guard case let (_, _, p, _, _)? = key(&s, .ctrl("s")).first?.sent else { Issue.record("no send"); return }
        #expect(p.tools?.contains { $0.type == "web_search" } == true)
        _ = s.perform(.toggleWebSearch)
        #expect(s.parameters.tools == nil)
    }

    @Test("golden: the trace grouped under its prompt, one call expanded with its failure, stderr and timings")
    func goldenTrace() {
        var s = makeState(120, 36)
        playLoop(&s)
        s.focus = .trace
        s.traceSelection = 1
        key(&s, .enter)
        assertGolden(Screen.render(s), "trace-loop-120x36")
    }

    @Test("golden: a manual result being typed, and an approval question")
    func goldenQuestions() {
        var s = makeState(120, 36)
        _ = s.reduce(.toolQuestion(ToolQuestion(id: "m1", kind: .manualResult, call: Self.weatherCall, executor: "manual")))
        type(&s, #"{"temp_c": 21}"#)
        assertGolden(Screen.render(s), "tool-manual-120x36")
        var t = makeState(100, 30)
        _ = t.reduce(.toolQuestion(ToolQuestion(id: "q1", kind: .approve, call: Self.weatherCall, executor: "command ./weather.sh --fast")))
        assertGolden(Screen.render(t), "tool-approve-100x30")
    }
}
