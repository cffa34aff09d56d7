import Foundation
import Testing

@testable import WorkbenchCore

/// `eval rescore` in Core: new assertions over logged outputs, and what it does with the cells it
/// cannot judge (errors stay errors; a vanished case or run is skipped, never a carried-over pass).
@Suite("Eval rescore")
struct EvalRescoreTests {
    static let variants = [EvalVariant(id: "A", label: "t", source: .file(path: "/t.md"))]

    func record(_ id: String, content: String) -> RunRecord {
        let req = ChatRequest(model: "glm-4-32b-0414-128k", messages: [.user("q")])
        var r = RunRecord(
            start: RunStart(
                runId: id, conversationId: "c", parentRunId: nil, provider: "sim",
                baseURL: "http://127.0.0.1:1", model: req.model, mode: .stream, request: req,
                requestJSON: WireJSON.string(req), templateName: nil, templateVariables: nil,
                startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1))
        r.content = content
        return r
    }

    func old() -> EvalReport {
        let pass = EvalAssertionResult(type: "contains", verdict: .pass, reason: "found")
        let cells = [
            EvalCellResult(
                caseName: "one", variantId: "A", runId: "r1", status: .pass, output: "Two years [1].",
                assertions: [pass], costUSD: Decimal(string: "0.001"), latencyMs: 300),
            EvalCellResult(caseName: "two", variantId: "A", runId: "r2", status: .error, problem: "API error 1261"),
            EvalCellResult(caseName: "gone", variantId: "A", runId: "r3", status: .pass, assertions: [pass]),
            EvalCellResult(caseName: "lost", variantId: "A", runId: "r4", status: .pass, assertions: [pass]),
        ]
        let cases = ["one", "two", "gone", "lost"].map { EvalCase(name: $0) }
        return EvalReport.assemble(evalId: "old", template: "t", variants: Self.variants, cases: cases, cells: cells)
    }

    @Test("edited assertions judge the logged output; an error stays an error; a removed case or a lost run is skipped")
    func rescore() async {
        let cases = [
            EvalCase(
                name: "one",
                assertions: [
                    EvalAssertion(.contains("three years")), EvalAssertion(.maxCost(Decimal(string: "0.01")!)),
                ]),
            EvalCase(name: "two", assertions: [EvalAssertion(.contains("x"))]),
            EvalCase(name: "lost", assertions: [EvalAssertion(.contains("x"))]),
        ]
        let runs = [
            "r1": EvalRescore.LoggedRun(record: record("r1", content: "Two years [1]."), toolCalls: []),
            "r3": EvalRescore.LoggedRun(record: record("r3", content: "x"), toolCalls: []),
        ]
        let new = await EvalRescore.rescore(old(), newId: "new", cases: cases, runs: runs, services: EvalNoServices())
        #expect(new.evalId == "new")
        let byName = Dictionary(uniqueKeysWithValues: new.cases.map { ($0.name, $0.groups.first!.runs.first!) })
        #expect(byName["one"]?.status == .fail)
        #expect(byName["one"]?.assertions.map(\.verdict) == [.fail, .pass], "max-cost still sees the original cost")
        #expect(byName["one"]?.costUSD == Decimal(string: "0.001"))
        #expect(byName["two"]?.status == .error && byName["two"]?.problem == "API error 1261")
        #expect(
            byName["gone"]?.status == .skipped
                && byName["gone"]?.problem?.contains("no longer in the cases file") == true)
        #expect(byName["lost"]?.status == .skipped && byName["lost"]?.problem?.contains("no longer in the log") == true)
        #expect(EvalDiff(old: old(), new: new).regressions.map(\.caseName).contains("one"))
    }

    @Test("a tool loop's calls are gathered from every step, in order")
    func loopCalls() {
        var a = record("a", content: "")
        a.toolCalls =
            #"[{"id":"1","type":"function","function":{"name":"get_order_status","arguments":"{\"order_id\":\"AB-1\"}"}}]"#
        var b = record("b", content: "Shipped.")
        b.toolCalls = #"[{"id":"2","type":"function","function":{"name":"notify","arguments":"{}"}}]"#
        #expect(EvalRescore.toolCalls([a, b]).map(\.name) == ["get_order_status", "notify"])
        #expect(EvalRescore.toolCalls([a]).first?.arguments == #"{"order_id":"AB-1"}"#)
    }
}
