import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

@Suite("Compare view and budget")
struct CompareViewTests {
    func batch(_ mode: RunMode, _ events: [RunEvent], attempt: Int = 0) -> CompareBatch { CompareBatch(mode: mode, attempt: attempt, events: events) }

    func started(_ id: String, _ mode: RunMode) -> RunEvent { .started(start(runId: id, prompt: "Foxes?", mode: mode)) }

    /// A comparison where the stream says "brown … lazy" and the body "red … sleepy".
    func playCompare(_ s: inout AppState, finishBody: Bool = true) {
        type(&s, "Foxes?")
        let effects = key(&s, .ctrl("k"))
        guard case .compare(let text, _, _, let sequential, let repeats)? = effects.first else { Issue.record("no compare effect: \(effects)"); return }
        #expect(text == "Foxes?" && !sequential && repeats == 1)
        let req = ChatRequest(model: "glm-4-32b-0414-128k", messages: [.user("Foxes?")])
        _ = s.reduce(.compareStarted(req, sequential: false, repeats: 1, at: Date(timeIntervalSince1970: 0)))
        _ = s.reduce(.compare([batch(.stream, [started("s1", .stream), .payload(seq: 0, offsetMicros: 100_000, data: "{}"), .delta("The quick brown fox "),
                                               .payload(seq: 1, offsetMicros: 180_000, data: "{}"), .delta("jumps over the lazy dog.")]),
                               batch(.nonStream, [started("n1", .nonStream)])]))
        _ = s.reduce(.compare([batch(.stream, [.finished(result(runId: "s1", content: "The quick brown fox jumps over the lazy dog."))])]))
        if finishBody {
            _ = s.reduce(.compare([batch(.nonStream, [.payload(seq: 0, offsetMicros: 300_000, data: "{}"),
                                                      .finished(result(runId: "n1", content: "The quick red fox jumps over the sleepy dog.", mode: .nonStream))])]))
        }
    }

    func compareState(_ s: AppState) -> CompareState? {
        if case .compare(let c) = s.overlay { return c }
        return nil
    }

    @Test("Ctrl-K compares the editor's prompt; the columns fill live; the table appears when both are done")
    func live() throws {
        var s = makeState()
        playCompare(&s, finishBody: false)
        var c = try #require(compareState(s))
        #expect(c.running)
        #expect(s.isRunning)
        #expect(c.streamText == "The quick brown fox jumps over the lazy dog.")
        #expect(c.report == nil)
        let waiting = Screen.render(s).text
        #expect(waiting.contains("waiting for the body"))
        _ = s.reduce(.compare([batch(.nonStream, [.finished(result(runId: "n1", content: "The quick red fox jumps over the sleepy dog.", mode: .nonStream))])]))
        c = try #require(compareState(s))
        #expect(!c.running)
        #expect(c.report?.differences == ["content"])
        #expect(s.statusMessage?.contains("Sampling is on") == true)
    }

    @Test("a finished comparison is stored with the state's clock and an id from its runs: the reducer stays pure")
    func storedIsPure() {
        var s = makeState()
        playCompare(&s)
        s.now = Date(timeIntervalSince1970: 1_000_000)
        let req = ChatRequest(model: "glm-4-32b-0414-128k", messages: [.user("Foxes?")])
        let first = s.reduce(.compareFinished(req))
        let again = s.reduce(.compareFinished(req))
        guard case .storeComparison(let stored)? = first.first else {
            Issue.record("no store effect: \(first)")
            return
        }
        #expect(stored.createdAt == s.now)
        #expect(stored.id == "cmp-s1")
        #expect(stored.streamRunIds == ["s1"] && stored.nonStreamRunIds == ["n1"])
        #expect(first == again)
    }

    @Test("keys: d reruns deterministically, r reruns as it was, s and n change the next run, Esc cancels a running one")
    func keys() {
        var s = makeState()
        playCompare(&s)
        key(&s, .char("s"))
        key(&s, .char("n"))
        let effects = key(&s, .char("d"))
        guard case .compareRequest(let req, let sequential, let repeats)? = effects.first else { Issue.record("no rerun: \(effects)"); return }
        #expect(req.doSample == false)
        #expect(sequential)
        #expect(repeats == 3)
        var t = makeState()
        playCompare(&t, finishBody: false)
        #expect(key(&t, .escape) == [.cancelAll])
        #expect(t.overlay == nil)
    }

    @Test("d asks for greedy decoding the way the server honours it, and says what it sent")
    func deterministicPerProvider() {
        var glm = makeState()
        playCompare(&glm)
        guard case .compareRequest(let g, _, _)? = key(&glm, .char("d")).first else { Issue.record("no rerun"); return }
        #expect(g.doSample == false && g.seed == nil && g.temperature == nil, "GLM honours do_sample: nothing else is changed")
        #expect(glm.statusMessage == "deterministic: sent do_sample false")

        var local = makeState()
        local.pricing.servesGLM = false
        playCompare(&local)
        guard case .compareRequest(let l, _, _)? = key(&local, .char("d")).first else { Issue.record("no rerun"); return }
        #expect(l.doSample == false && l.temperature == 0 && l.seed == 0, "llama.cpp ignores do_sample: temperature 0 and a seed too")
        #expect(local.statusMessage?.contains("temperature 0, seed 0") == true)
    }

    @Test("the report calls a do_sample:false run greedy only where do_sample is honoured")
    func samplingVerdict() {
        var r = ChatRequest(model: "m", messages: [.user("x")])
        r.doSample = false
        let m = RunMetrics(result: result(runId: "a", content: "x"), arrivalsMs: [])
        #expect(!ComparisonReport(stream: m, nonStream: m, request: r, glmRules: true).samplingOn)
        #expect(ComparisonReport(stream: m, nonStream: m, request: r, glmRules: false).samplingOn, "llama.cpp still samples")
        r.temperature = 0
        #expect(!ComparisonReport(stream: m, nonStream: m, request: r, glmRules: false).samplingOn)
    }

    @Test("with an empty editor, Ctrl-K compares the last request exactly as it was sent")
    func lastRequest() {
        var s = makeState()
        converse(&s, prompt: "First question", reply: "An answer")
        let effects = key(&s, .ctrl("k"))
        guard case .compareRequest(let req, _, _)? = effects.first else { Issue.record("no compare of the last request: \(effects)"); return }
        #expect(req.messages.last?.content == "First question")
        #expect(req.stream == nil)
    }

    @Test("nothing to compare without a prompt")
    func empty() {
        var s = makeState()
        #expect(key(&s, .ctrl("k")).isEmpty)
        #expect(s.statusMessage?.contains("nothing to compare") == true)
    }

    @Test("golden: the compare view with the word diff and the table", arguments: [(120, 36), (80, 24)])
    func golden(w: Int, h: Int) {
        var s = makeState(w, h)
        playCompare(&s)
        assertGolden(Screen.render(s), "compare-\(w)x\(h)")
    }

    func spend(_ s: inout AppState, _ usd: String, id: String) {
        var r = result(runId: id, content: "ok")
        r.cost = Cost(usd: Decimal(string: usd)!, wouldCostUSD: nil, price: PriceTable.glm4_32b, basis: .reported, webSearchUses: 0)
        type(&s, "q")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: id, prompt: "q")), .finished(r)]))
    }

    @Test("budget: warns at 80%, refuses at 100%, F8 lets one request through, raising it re-enables sending")
    func budget() {
        var s = makeState()
        s.budgetUSD = Decimal(string: "1.00")
        spend(&s, "0.50", id: "b1")
        #expect(s.statusMessage == nil)
        spend(&s, "0.35", id: "b2")
        #expect(s.statusMessage?.contains("budget warning") == true)
        #expect(MeterView.totalsLine(s).map(\.text).joined().contains("budget $0.8500/$1.0000 (85%)"))
        spend(&s, "0.20", id: "b3")
        type(&s, "one more")
        #expect(key(&s, .ctrl("s")).isEmpty)
        #expect(s.statusMessage?.contains("budget reached") == true)
        #expect(s.editor.text == "one more")
        key(&s, .function(8))
        guard case .startTurn? = key(&s, .ctrl("s")).first else { Issue.record("the override did not send"); return }
        _ = s.reduce(.run([.started(start(runId: "b4", prompt: "one more")), .finished(result(runId: "b4", content: "ok"))]))
        type(&s, "and another")
        #expect(key(&s, .ctrl("s")).isEmpty, "the override is for one request only")
        // Raise it from the palette's Budget… prompt.
        _ = s.perform(.budget)
        for _ in 0..<10 { key(&s, .backspace) }
        type(&s, "5")
        key(&s, .enter)
        #expect(s.budgetUSD == 5)
        guard case .startTurn? = key(&s, .ctrl("s")).first else { Issue.record("a raised budget still refused"); return }
    }
}

@Suite("Copy a message or a code block")
struct CopyPickerTests {
    @Test("Alt-Y lists messages and code blocks; Enter copies the chosen one without its fences")
    func copyCodeBlock() {
        var s = makeState()
        converse(&s, prompt: "Write hello", reply: "Here:\n\n```swift\nprint(\"hello\")\nprint(\"world\")\n```\n\nAnd in Python:\n\n~~~python\nprint('hi')\n~~~")
        key(&s, .alt("y"))
        guard case .picker(let p) = s.overlay else { Issue.record("no copy picker"); return }
        #expect(p.items.map(\.label) == ["#1 you: Write hello", "#2 assistant: Here:", "#2   code block 1 (swift), 2 lines", "#2   code block 2 (python), 1 line"])
        type(&s, "swift")
        let effects = key(&s, .enter)
        #expect(effects == [.copy("print(\"hello\")\nprint(\"world\")")])
        key(&s, .alt("y"))
        type(&s, "you")
        #expect(key(&s, .enter) == [.copy("Write hello")])
    }

    @Test("the palette's export writes the conversation's exports (an effect for the runtime)")
    func export() {
        var s = makeState()
        #expect(s.perform(.export).isEmpty)
        converse(&s, prompt: "Hi", reply: "Hello")
        #expect(s.perform(.export) == [.exportConversation("c1")])
    }

    @Test("the meter says where the cost comes from")
    func provenance() {
        #expect(MeterView.provenance(Cost(usd: 1, wouldCostUSD: nil, price: PriceTable.glm4_32b, basis: .reported, webSearchUses: 0)) == "reported usage, list price of 2026-11-20")
        var config = PriceTable.glm4_32b
        config.source = "config /home/u/.config/glmwb/config.yaml"
        config.asOf = "2026-12-01"
        #expect(MeterView.provenance(Cost(usd: 1, wouldCostUSD: nil, price: config, basis: .estimated, webSearchUses: 0)) == "estimated usage, config price of 2026-12-01")
        #expect(MeterView.provenance(.unknown(basis: .reported)) == "reported usage, no price for this model")
    }
}

@Suite("New overlays at every size")
struct OverlaySizeTests {
    @Test("the template form, the compare view, tool questions and text prompts draw from 200×60 down to 1×1 without breaking",
          arguments: [(200, 60), (120, 36), (80, 24), (40, 10), (20, 6), (10, 3), (1, 1), (0, 0)])
    func sizes(w: Int, h: Int) {
        var s = makeState(w, h)
        s.focus = .templates
        type(&s, "know")
        key(&s, .enter)
        #expect(Screen.render(s).width == w)
        s.overlay = .compare(CompareState(request: ChatRequest(model: "m", messages: [.user("中文 prompt")]), sequential: false, repeats: 3, startedAt: Date()))
        #expect(Screen.render(s).height == h)
        s.overlay = .toolQuestion(ToolQuestion(id: "q", kind: .manualResult, call: ToolCall(id: "c", name: "get_weather", arguments: #"{"city":"巴黎"}"#), executor: "manual"))
        #expect(Screen.render(s).height == h)
        var p = TextPrompt(purpose: .budget, title: "Session budget in USD (empty: none)")
        p.text = String(repeating: "9", count: 300)
        s.overlay = .textPrompt(p)
        #expect(Screen.render(s).height == h)
    }
}

@Suite("Stale text (issue 11, defect 10)")
struct StaleTextTests {
    @Test("a non-streamed reply in flight is not called streaming")
    func nonStreamHeader() {
        var s = makeState()
        type(&s, "hi")
        _ = key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "hi", mode: .nonStream))]))
        let turn = try! #require(s.turns.last)
        let head = ConversationView.lines(for: turn, width: 80).first.map { $0.spans.map(\.text).joined() } ?? ""
        #expect(head.contains("waiting for the whole reply"), "\(head)")
        #expect(!head.contains("streaming"))
        _ = s.reduce(.run([.started(start(runId: "r2", prompt: "hi", mode: .stream))]))
    }

    @Test("a sequential comparison's body is queued, not waiting, until its request starts")
    func sequentialQueued() {
        var c = CompareState(request: ChatRequest(model: "m", messages: [.user("x")]), sequential: true, repeats: 1, startedAt: Date(timeIntervalSince1970: 0))
        c.add([CompareBatch(mode: .stream, attempt: 0, events: [.started(start(runId: "s", prompt: "x"))])])
        var g = Grid(width: 100, height: 30)
        CompareView.render(makeState(), c, into: &g)
        #expect(g.text.contains("queued: sent after the stream ends"), "\(g.text)")
        #expect(!g.text.contains("waiting for the body"))
    }

    @Test("closing the compare view takes its verdict off the status line")
    func verdictCleared() {
        var s = makeState()
        playCompareForStale(&s)
        #expect(s.statusMessage != nil)
        _ = key(&s, .escape)
        #expect(s.overlay == nil)
        #expect(s.statusMessage == nil, "\(s.statusMessage ?? "")")
    }
}

/// A finished comparison in the view, as the compare view tests play it.
func playCompareForStale(_ s: inout AppState) {
    let t = CompareViewTests()
    t.playCompare(&s)
}
