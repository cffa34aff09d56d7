import Foundation
import Testing

@testable import WorkbenchCore

/// Issue 11, defect 17: a tool's time is its own; the time a person took to approve it or type
/// its result is recorded and shown apart.
@Suite("Tool timings")
struct ToolTimingTests {
    func def(_ name: String, _ executor: ToolExecutorKind) -> ToolDefinition {
        ToolDefinition(spec: ToolSpec(function: FunctionSpec(name: name, description: "t")), executor: executor)
    }

    @Test("a manual result typed in 2 s: the tool took ~0 ms and waited 2 s for the person")
    func manualWait() async {
        let d = ToolDispatcher(
            tools: [def("ask_me", .manual)],
            manual: { _, _ in
                try? await Task.sleep(for: .seconds(2))
                return "42"
            })
        let o = await d.run(ToolCall(id: "c1", name: "ask_me", arguments: "{}"))
        #expect(o.status == .ok && o.result == "42")
        #expect(o.durationMs < 1000, "the person's answer time is not the tool's: \(o.durationMs)")
        #expect((o.waitMs ?? 0) >= 1990)
        #expect(o.verdict.contains("waited"))
    }

    @Test("an approval that took 2 s is not the command's time; nobody asked: no wait at all")
    func approvalWait() async {
        // The tool measures its own time: a loaded machine can stretch any sleep, so the check is
        // that the recorded duration is the tool's (plus a little), never the tool's plus the wait.
        let inner = ToolClock()
        let d = ToolDispatcher(
            tools: [def("run_it", .command(["/bin/true"]))], policy: .ask,
            approve: { _, _ in
                try? await Task.sleep(for: .seconds(2))
                return true
            },
            external: { _, _ in
                let start = ContinuousClock.now
                try? await Task.sleep(for: .milliseconds(20))
                inner.record(ContinuousClock.now - start)
                return ExternalToolResult(output: "{}")
            })
        let o = await d.run(ToolCall(id: "c1", name: "run_it", arguments: "{}"))
        let own = inner.milliseconds
        #expect((o.waitMs ?? 0) >= 1990)
        #expect(
            o.durationMs >= own - 1 && o.durationMs < own + 1000, "the tool's \(own) ms, not the wait: \(o.durationMs)")
        let fixed = ToolDispatcher(tools: [def("f", .fixed(.string("x")))])
        let f = await fixed.run(ToolCall(id: "c2", name: "f", arguments: "{}"))
        #expect(f.waitMs == nil && !f.verdict.contains("waited"))
    }
}

/// A duration a tool measured itself, read after the call.
final class ToolClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Duration = .zero

    func record(_ d: Duration) { lock.withLock { value = d } }

    var milliseconds: Double {
        let d = lock.withLock { value }
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
}
