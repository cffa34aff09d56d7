import Foundation
import Testing

@testable import WorkbenchCore
@testable import WorkbenchUI

/// A thinking model's reasoning in the conversation: apart from the answer, open while the model
/// thinks, one line once the answer starts, Alt-T to toggle, and reopened from the log.
@Suite("Thinking block in the conversation")
struct ThinkingBlockTests {
    func text(_ s: AppState) -> String { Screen.render(s).text }

    @Test("reasoning streams into its own block; the answer closes it to one line; Alt-T opens and closes it")
    func streamAndToggle() {
        var s = makeState()
        type(&s, "Why is the sky blue?")
        key(&s, .ctrl("s"))
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "Why is the sky blue?"))]))
        _ = s.reduce(.run([.reasoning("Rayleigh scattering: "), .reasoning("short wavelengths scatter more.")]))
        var screen = text(s)
        #expect(screen.contains("▾ thinking"), "\(screen)")
        #expect(screen.contains("Rayleigh scattering: short wavelengths scatter more."))
        let turn = s.turns.last { $0.kind == .assistant }
        #expect(turn?.reasoning == "Rayleigh scattering: short wavelengths scatter more.")
        #expect(turn?.text == "", "the reasoning is not the answer")

        _ = s.reduce(
            .run([
                .delta("Because of Rayleigh scattering."),
                .finished(result(runId: "r1", content: "Because of Rayleigh scattering.")),
            ]))
        screen = text(s)
        #expect(screen.contains("▸ thinking (6 words) · Alt-T shows it"), "\(screen)")
        #expect(!screen.contains("short wavelengths scatter more."))
        #expect(screen.contains("Because of Rayleigh scattering."))

        key(&s, .alt("t"))
        #expect(text(s).contains("short wavelengths scatter more."))
        key(&s, .alt("t"))
        #expect(!text(s).contains("short wavelengths scatter more."))
    }

    @Test("Alt-T with no thinking anywhere says so; help and the palette list it")
    func noThinking() {
        var s = makeState()
        key(&s, .alt("t"))
        #expect(s.statusMessage?.contains("no reply with thinking") == true)
        #expect(Action.toggleThinking.keys == [.alt("t")])
        #expect(Action.byKey[.alt("t")] == .toggleThinking)
    }

    @Test("control sequences in the reasoning are drawn as visible text, never sent to the terminal")
    func hostileReasoning() {
        var s = makeState()
        type(&s, "x")
        key(&s, .ctrl("s"))
        _ = s.reduce(
            .run([.started(start(runId: "r1", prompt: "x")), .reasoning("a\u{1b}]52;c;aGk=\u{07}b\u{1b}[2J")]))
        let grid = Screen.render(s)
        #expect(!grid.text.contains("\u{1b}"))
        #expect(grid.text.contains("▾ thinking"))
    }

    @Test("a conversation reopened from the log shows its last reply's thinking, closed")
    func reopened() {
        var rec = RunRecord(start: start(runId: "r1", prompt: "Why?"))
        var r = result(runId: "r1", content: "Because.")
        r.reasoning = "Let me think it through."
        rec.apply(r)
        let turns = ConversationRebuild.turns(ResumedConversation(conversationId: "c", records: [rec])!)
        #expect(turns.last?.reasoning == "Let me think it through.")
        #expect(turns.last?.showsThinking == false)
    }

    @Test("the block fits every size: nothing past the edge down to 20×6", arguments: [(120, 36), (80, 24), (20, 6)])
    func sizes(w: Int, h: Int) {
        var s = makeState(w, h)
        type(&s, "q")
        key(&s, .ctrl("s"))
        _ = s.reduce(
            .run([.started(start(runId: "r1", prompt: "q")), .reasoning(String(repeating: "思考 thinking ", count: 40))]))
        let grid = Screen.render(s)
        for line in grid.text.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(DisplayWidth.of(String(line)) <= w, "\(line)")
        }
    }

    @Test("the run log pane shows a run's thinking above its message, with the reported reasoning tokens")
    func logPane() {
        var view = RunState(
            runId: "r1", mode: .stream, model: "m", provider: "sim", requestJSON: "{}",
            startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1)
        var r = result(runId: "r1", content: "Blue.")
        r.reasoning = "Short wavelengths scatter."
        r.usage.reasoningTokens = 4
        view.result = r
        let text = LogView.headerLines(view, width: 80).map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
        let thinking = text.range(of: "── thinking (4 reasoning tokens reported) ──")
        let message = text.range(of: "── message ──")
        #expect(thinking != nil && message != nil && thinking!.lowerBound < message!.lowerBound, "\(text)")
        #expect(text.contains("Short wavelengths scatter."))
    }
}
