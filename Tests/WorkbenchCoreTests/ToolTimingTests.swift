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

    @Test("a manual result typed in 300 ms: the tool took ~0 ms and waited 300 ms for the person")
    func manualWait() async {
        let d = ToolDispatcher(tools: [def("ask_me", .manual)], manual: { _, _ in
            try? await Task.sleep(for: .milliseconds(300))
            return "42"
        })
        let o = await d.run(ToolCall(id: "c1", name: "ask_me", arguments: "{}"))
        #expect(o.status == .ok && o.result == "42")
        #expect(o.durationMs < (o.waitMs ?? 0), "the person's answer time is not the tool's: \(o.durationMs)")
        #expect((o.waitMs ?? 0) >= 290)
        #expect(o.verdict.contains("waited"))
    }

    @Test("an approval that took 300 ms is not the command's time; nobody asked: no wait at all")
    func approvalWait() async {
        let d = ToolDispatcher(tools: [def("run_it", .command(["/bin/true"]))], policy: .ask,
                               approve: { _, _ in try? await Task.sleep(for: .milliseconds(300)); return true },
                               external: { _, _ in try? await Task.sleep(for: .milliseconds(20)); return ExternalToolResult(output: "{}") })
        let o = await d.run(ToolCall(id: "c1", name: "run_it", arguments: "{}"))
        #expect(o.durationMs >= 15 && o.durationMs < (o.waitMs ?? 0), "the tool (20 ms) took less than the 300 ms wait: \(o.durationMs)")
        #expect((o.waitMs ?? 0) >= 290)
        let fixed = ToolDispatcher(tools: [def("f", .fixed(.string("x")))])
        let f = await fixed.run(ToolCall(id: "c2", name: "f", arguments: "{}"))
        #expect(f.waitMs == nil && !f.verdict.contains("waited"))
    }
}
