import Foundation
import Testing
@testable import WorkbenchCore
@testable import WorkbenchUI

/// A run's retries and anomalies are shown wherever its summary is: the footer, the meter and the
/// run log pane (the CLI and `logs show` have their own tests).
@Suite("Retries and anomalies on screen")
struct RunAccountTests {
    func retried() -> RunResult {
        var r = result(runId: "r1", content: "Hello")
        r.retries = [RetryAttempt(status: 429, code: "1305", message: "overloaded", delayMs: 500)]
        r.anomalies = ["2 empty data: line(s) ignored"]
        return r
    }

    @Test("the footer says how many retries and every anomaly")
    func footer() {
        let text = RunFooter.text(retried())
        #expect(text.contains("retried 1×"), "\(text)")
        #expect(text.contains("⚠ 2 empty data: line(s) ignored"), "\(text)")
        #expect(!RunFooter.text(result(runId: "r2", content: "x")).contains("retried"), "a clean run says nothing of retries")
    }

    @Test("the run log pane lists each retry and anomaly")
    func logPane() {
        var view = RunState(runId: "r1", mode: .stream, model: "m", provider: "sim", requestJSON: "{}", startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1)
        view.result = retried()
        let text = LogView.headerLines(view, width: 200).map { $0.spans.map(\.text).joined() }.joined(separator: "\n")
        #expect(text.contains("retried after: HTTP 429 · code 1305 · overloaded, then waited 500 ms"), "\(text)")
        #expect(text.contains("⚠ 2 empty data: line(s) ignored"))
    }

    @Test("logs show and the Markdown export list each retry and anomaly, and the summary counts the retries")
    func logged() {
        var record = RunRecord(start: start(runId: "r1", prompt: "hi"))
        record.apply(retried())
        let md = RunExport.markdown([record])
        #expect(md.contains("- retries: HTTP 429 · code 1305 · overloaded, then waited 500 ms"), "\(md)")
        #expect(md.contains("- note: 2 empty data: line(s) ignored"))
        #expect(RunSummary.line(record).contains("retried 1×"))
    }

    @Test("the meter says the run was retried")
    func meter() {
        var s = AppState(width: 120, height: 36, providerName: "sim", model: "m", conversationId: "c1")
        var view = RunState(runId: "r1", mode: .stream, model: "m", provider: "sim", requestJSON: "{}", startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1)
        view.result = retried()
        s.runs = [view]
        let text = MeterView.runLine(s).map(\.text).joined()
        #expect(text.contains("retried 1×"), "\(text)")
    }

    @Test("a run nobody answered says so in the meter instead of an estimate")
    func notBilled() {
        var r = result(runId: "r1", content: "")
        r.usageSource = .notBilled
        r.cost = Cost(usd: 0, wouldCostUSD: nil, price: nil, basis: .notBilled, webSearchUses: 0)
        #expect(RunFooter.text(r).contains("not billed (no answer)"))
        #expect(MeterView.provenance(r.cost) == "no answer, nothing generated")
    }

    @Test("the run log pane keeps one laid-out request, whichever run is shown")
    func logPaneCacheIsBounded() {
        // A long conversation's runs all carry its history: one cached request per run would
        // grow with the square of the conversation.
        var s = makeState()
        let body = #"{"messages":[{"role":"user","content":"\#(String(repeating: "x", count: 500))"}]}"#
        for k in 0..<30 {
            var run = RunState(
                runId: "r\(k)", mode: .stream, model: "m", provider: "sim", requestJSON: body,
                startedAt: Date(timeIntervalSince1970: 0), promptEstimate: 1)
            run.result = result(runId: "r\(k)", content: "reply \(k)")
            s.runs.append(run)
        }
        for k in 0..<30 {
            s.logRunIndex = k
            _ = Screen.render(s)
        }
        #expect(s.layoutCache.count <= 4, "entries: \(s.layoutCache.count)")
        let run = s.runs[3]
        let parts = LogView.titleLines(run, width: 60) + LogView.requestLines(run, width: 60)
        #expect(LogView.headerLines(run, width: 60) == parts + LogView.messageLines(run, width: 60))
    }
}

@Suite("The server's id in the run log pane")
struct ServerIdPaneTests {
    @Test("the run log pane shows the server's id of a finished run (support tickets ask for it)")
    func shown() {
        var s = makeState()
        type(&s, "Hi")
        _ = key(&s, .ctrl("s"))
        var r = result(runId: "r1", content: "Hello")
        r.responseId = "20250926190604cbc0f909a2b14d52"
        _ = s.reduce(.run([.started(start(runId: "r1", prompt: "Hi")), .finished(r)]))
        let text = Screen.render(s).text
        #expect(text.contains("server id") && text.contains("20250926190604cbc0f909a2b14d52"), "wrapped, whole")
        var none = result(runId: "r2", content: "Hello")
        none.responseId = nil
        var t = makeState()
        type(&t, "Hi")
        _ = key(&t, .ctrl("s"))
        _ = t.reduce(.run([.started(start(runId: "r2", prompt: "Hi")), .finished(none)]))
        #expect(!Screen.render(t).text.contains("server id"))
    }
}
