import Foundation
import Testing
import WorkbenchCore
@testable import WorkbenchUI

/// The reducer decides what every effect carries; the runtime never reads the state. These
/// check the decisions that used to be made in the runtime.
@Suite("The reducer's orders to the runtime")
struct ReducerOrdersTests {
    static let call = ToolCall(id: "call_w1", name: "get_weather", arguments: #"{"city":"Paris"}"#)

    @Test("an approval question is answered by the policy in force when it arrives: all → yes, none → no, ask → the overlay")
    func approvalPolicy() {
        var s = makeState()
        s.approvalPolicy = .all
        #expect(s.reduce(.toolQuestion(ToolQuestion(id: "q1", kind: .approve, call: Self.call, executor: "command ./w.sh")))
                == [.answerTool(id: "q1", approved: true, text: nil)])
        #expect(s.overlay == nil && s.toolQuestions.isEmpty)
        s.approvalPolicy = .none
        #expect(s.reduce(.toolQuestion(ToolQuestion(id: "q2", kind: .approve, call: Self.call, executor: "command ./w.sh")))
                == [.answerTool(id: "q2", approved: false, text: nil)])
        s.approvalPolicy = .ask
        #expect(s.reduce(.toolQuestion(ToolQuestion(id: "q3", kind: .approve, call: Self.call, executor: "command ./w.sh"))).isEmpty)
        guard case .toolQuestion(let q)? = s.overlay else { Issue.record("no question shown"); return }
        #expect(q.id == "q3")
        // A manual result is always the user's to give, whatever the policy.
        s.overlay = nil
        s.toolQuestions = []
        s.approvalPolicy = .all
        #expect(s.reduce(.toolQuestion(ToolQuestion(id: "m1", kind: .manualResult, call: Self.call, executor: "manual"))).isEmpty)
        #expect(s.toolQuestions.map(\.id) == ["m1"])
    }

    @Test("a typed prompt offers the tools file's tools only when the palette says so; the order carries the history choice")
    func typedTurnTools() {
        var s = makeState()
        s.toolCatalog = [ToolDefinition(spec: ToolSpec(function: FunctionSpec(name: "get_weather", description: "w")), executor: .manual)]
        type(&s, "hi")
        guard case .startTurn(let plain)? = key(&s, .ctrl("s")).first else { Issue.record("no turn"); return }
        #expect(plain.tools.isEmpty && !plain.usesTools && !plain.sendsCancelledReplies)
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "hi")), .finished(result(runId: "r1", content: "ok"))]))
        _ = s.perform(.toggleTools)
        _ = s.perform(.toggleSendCancelled)
        type(&s, "weather?")
        guard case .startTurn(let withTools)? = key(&s, .ctrl("s")).first else { Issue.record("no turn"); return }
        #expect(withTools.tools.map(\.name) == ["get_weather"])
        #expect(withTools.sendsCancelledReplies)
    }

    @Test("time enters only through .tick: the state's clock is what views measure from")
    func tick() {
        var s = makeState()
        let t = Date(timeIntervalSince1970: 1_000)
        #expect(s.reduce(.tick(t)).isEmpty)
        #expect(s.now == t)
    }

    @Test("a reopened conversation brings its system prompt; a new one keeps the current one")
    func systemFollowsConversation() {
        var s = makeState()
        _ = s.reduce(.conversationLoaded(id: "c9", system: "Be terse.", turns: [], runs: []))
        #expect(s.system == "Be terse.")
        #expect(s.perform(.newConversation) == [.newConversation(system: "Be terse.")])
    }

    @Test("a replay that cannot be rebuilt says so on the waiting turn and leaves nothing running")
    func replayUnavailable() {
        var s = makeState()
        s.startTurn("x")
        #expect(s.replayLoop(runId: "gone").isEmpty)
        #expect(s.turns.last?.text.contains("not sent: cannot replay") == true)
        #expect(!s.isRunning)
    }
}
