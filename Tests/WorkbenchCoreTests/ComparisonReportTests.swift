import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Comparison report")
struct ComparisonReportTests {
    func result(_ id: String, _ mode: RunMode, content: String, calls: [ToolCall] = [], prompt: Int = 10, completion: Int = 5, finish: String = "stop") -> RunResult {
        var t = RunTimings()
        t.firstTokenMs = mode == .stream ? 100 : nil
        t.totalMs = 400
        let usage = Usage(promptTokens: prompt, completionTokens: completion)
        return RunResult(runId: id, conversationId: "c", mode: mode, status: .ok, content: content, toolCalls: calls, finishReason: finish,
                         usage: usage, usageSource: .reported,
                         cost: PriceTable.builtIn.cost(usage: usage, basis: .reported, providerName: "zai", free: false, model: Provider.glmModel, webSearchUses: 0),
                         timings: t, chunkCount: mode == .stream ? 4 : 0, webSearch: [], contentFilter: [], error: nil, retries: [], httpStatus: 200)
    }

    func report(_ s: RunResult, _ n: RunResult, sample: Bool? = nil, arrivals: [Double] = [100, 150, 160, 400]) -> ComparisonReport {
        var req = ChatRequest(model: Provider.glmModel, messages: [.user("hi")])
        req.doSample = sample
        return ComparisonReport(stream: RunMetrics(result: s, arrivalsMs: arrivals), nonStream: RunMetrics(result: n, arrivalsMs: [380]), request: req)
    }

    @Test("identical answers: no differences, every comparable row agrees")
    func agree() {
        let r = report(result("s", .stream, content: "Same text."), result("n", .nonStream, content: "Same text."))
        #expect(r.differences.isEmpty)
        #expect(r.rows.filter { $0.same == false }.isEmpty)
        #expect(r.verdict.contains("agree"))
    }

    @Test("reasoning has its own row, labelled as expected to differ, and is never one of the differences")
    func reasoningRow() {
        var s = result("s", .stream, content: "Blue.")
        var n = result("n", .nonStream, content: "Blue.")
        #expect(!report(s, n).rows.contains { $0.field.hasPrefix("reasoning") }, "no row without reasoning")
        s.reasoning = "Rayleigh scattering, I think."
        n.reasoning = "Short wavelengths scatter."
        let r = report(s, n)
        let row = r.rows.first { $0.field == "reasoning (may differ)" }
        #expect(row?.stream == "4 words" && row?.nonStream == "3 words")
        #expect(row?.same == nil, "a difference in reasoning is not marked ✘")
        #expect(r.differences.isEmpty && r.verdict.contains("agree"))
        n.reasoning = s.reasoning
        #expect(report(s, n).rows.first { $0.field == "reasoning (may differ)" }?.same == true)
    }

    @Test("text, tool calls, finish reason, usage and cost differences are named; sampling explains text differences")
    func differ() {
        let a = ToolCall(id: "1", name: "get_weather", arguments: #"{"city": "Paris", "days": 2}"#)
        let b = ToolCall(id: "2", name: "get_weather", arguments: #"{"days":2,"city":"Paris"}"#)
        // Key order and spacing are not differences; ids are not compared.
        #expect(report(result("s", .stream, content: "", calls: [a], finish: "tool_calls"), result("n", .nonStream, content: "", calls: [b], finish: "tool_calls")).differences.isEmpty)
        let c = ToolCall(id: "3", name: "get_weather", arguments: #"{"city": "Lyon", "days": 2}"#)
        let r = report(result("s", .stream, content: "A fox.", calls: [a]), result("n", .nonStream, content: "A dog.", calls: [c], prompt: 11, finish: "length"))
        #expect(r.differences == ["content", "tool_calls", "finish_reason", "usage", "cost"])
        #expect(r.samplingOn)
        #expect(r.verdict.contains("Sampling is on"))
        let greedy = report(result("s", .stream, content: "A fox."), result("n", .nonStream, content: "A dog."), sample: false)
        #expect(!greedy.samplingOn)
        #expect(!greedy.verdict.contains("Sampling is on"))
    }

    @Test("the word diff keeps shared words and marks the changed ones on each side")
    func wordDiff() {
        let ops = WordDiff.diff(from: "The quick red fox jumps", to: "The quick brown fox jumps far")
        #expect(ops == [.same("The "), .same("quick "), .removed("red "), .added("brown "), .same("fox "), .removed("jumps"), .added("jumps "), .added("far")])
        // Rebuilding each side from the ops gives the texts back.
        let stream = ops.compactMap { if case .same(let t) = $0 { return t }; if case .added(let t) = $0 { return t }; return nil }.joined()
        let body = ops.compactMap { if case .same(let t) = $0 { return t }; if case .removed(let t) = $0 { return t }; return nil }.joined()
        #expect(stream == "The quick brown fox jumps far")
        #expect(body == "The quick red fox jumps")
        #expect(WordDiff.diff(from: "", to: "").isEmpty)
        #expect(WordDiff.diff(from: "中文 文本", to: "中文 文本") == [.same("中文 "), .same("文本")])
    }

    @Test("timings: TTFT only for the stream, inter-chunk gaps, the sparkline")
    func timings() {
        let r = report(result("s", .stream, content: "x"), result("n", .nonStream, content: "x"))
        let rows = Dictionary(uniqueKeysWithValues: r.rows.map { ($0.field, $0) })
        #expect(rows["time to first token"]?.stream == "100 ms")
        #expect(rows["time to first token"]?.nonStream == "—")
        #expect(rows["inter-chunk gap"]?.stream == "mean 100 ms, worst 240 ms")
        #expect(rows["chunks"]?.nonStream == "one body")
        #expect(rows["chunk arrival"]?.stream == "▄▁▁▁█▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▄", "100, 150, 160 then 400 ms")
        #expect(rows["chunk arrival"]?.nonStream == "—", "one body is not an arrival pattern")
        #expect(Sparkline.render([0, 1, 2, 100], slots: 4) == "█▁▁▃")
        #expect(Sparkline.render([], slots: 4) == "")
    }

    @Test("repeat N groups identical answers with counts per mode")
    func groups() {
        let ms = [
            RunMetrics(result: result("s1", .stream, content: "A"), arrivalsMs: []),
            RunMetrics(result: result("s2", .stream, content: "B"), arrivalsMs: []),
            RunMetrics(result: result("s3", .stream, content: "A"), arrivalsMs: []),
            RunMetrics(result: result("n1", .nonStream, content: "A"), arrivalsMs: []),
        ]
        let g = AnswerGroup.group(ms)
        #expect(g.count == 2)
        #expect(g[0].content == "A" && g[0].streamRuns == ["s1", "s3"] && g[0].nonStreamRuns == ["n1"])
        #expect(g[1].content == "B" && g[1].streamRuns == ["s2"])
    }
}

@Suite("Prompt estimate calibration")
struct CalibrationTests {
    @Test("reported usage pulls the estimate toward the truth, smoothed and bounded")
    func calibrate() {
        var e = TokenEstimator()
        let text = String(repeating: "word ", count: 80)
        let raw = e.estimate(text)
        // The server says prompts are 50% larger than estimated: the factor moves toward 1.5.
        for _ in 0..<12 { e = e.calibrated(promptEstimate: e.estimate(text), reportedPromptTokens: raw * 3 / 2) }
        #expect(abs(e.calibration - 1.5) < 0.05)
        #expect(abs(Double(e.estimate(text)) - Double(raw) * 1.5) <= 2)
        // One absurd report cannot swing it past the bounds.
        let wild = e.calibrated(promptEstimate: e.estimate(text), reportedPromptTokens: raw * 100)
        #expect(wild.calibration <= 2)
        #expect(e.calibrated(promptEstimate: 0, reportedPromptTokens: 10) == e)
    }
}
