import Foundation

/// A streaming and a non-streaming run of the same request, side by side: every field that can
/// differ, whether it does, and a word diff of the text.
public struct ComparisonReport: Sendable, Equatable {
    public var stream: RunMetrics
    public var nonStream: RunMetrics
    /// Sampling was on (the default): different text is expected, not a bug.
    public var samplingOn: Bool

    /// - Parameter glmRules: the endpoint honours `do_sample` (Z.AI, GLMSim); others (llama.cpp,
    ///   vLLM, OpenAI) ignore it and decode greedily only at temperature 0.
    public init(stream: RunMetrics, nonStream: RunMetrics, request: ChatRequest, glmRules: Bool = true) {
        self.stream = stream
        self.nonStream = nonStream
        let greedy = request.temperature == 0 || (glmRules && request.doSample == false)
        samplingOn = !greedy
    }

    public var textIdentical: Bool { stream.content == nonStream.content }
    public var toolCallsEqual: Bool { stream.toolCalls == nonStream.toolCalls }
    public var usageEqual: Bool {
        stream.usage.promptTokens == nonStream.usage.promptTokens && stream.usage.completionTokens == nonStream.usage.completionTokens
            && stream.usage.totalTokens == nonStream.usage.totalTokens
    }

    /// The names of the fields that differ, as `glmwb compare --json` reports them.
    public var differences: [String] {
        var d: [String] = []
        if stream.status != nonStream.status { d.append("status") }
        if !textIdentical { d.append("content") }
        if !toolCallsEqual { d.append("tool_calls") }
        if stream.finishReason != nonStream.finishReason { d.append("finish_reason") }
        if !usageEqual { d.append("usage") }
        if stream.cost.usd != nonStream.cost.usd || stream.cost.wouldCostUSD != nonStream.cost.wouldCostUSD { d.append("cost") }
        return d
    }

    public typealias DiffOp = WordDiff.Op

    /// Word diff from the non-stream text to the stream text.
    public var wordDiff: [DiffOp] { WordDiff.diff(from: nonStream.content, to: stream.content) }

    /// One row of the table: the field, each side's value, and whether they agree (nil: the
    /// field only means something on one side, such as TTFT).
    public struct Row: Sendable, Equatable {
        public var field: String
        public var stream: String
        public var nonStream: String
        public var same: Bool?
    }

    public var rows: [Row] {
        func ms(_ v: Double?) -> String { v.map(RunSummary.formatMs) ?? "—" }
        func calls(_ c: [RunMetrics.CanonicalToolCall]) -> String { c.isEmpty ? "none" : c.map(\.description).joined(separator: ", ") }
        func text(_ m: RunMetrics) -> String {
            let one = m.content.replacingOccurrences(of: "\n", with: " ")
            return m.content.isEmpty ? "(empty)" : "\(m.content.count) chars: " + (one.count > 40 ? String(one.prefix(40)) + "…" : one)
        }
        func gaps(_ m: RunMetrics) -> String {
            guard let g = m.gaps else { return "—" }
            return "mean \(RunSummary.formatMs(g.mean)), worst \(RunSummary.formatMs(g.worst))"
        }
        func cost(_ c: Cost) -> String { c.label }
        func thinking(_ r: String) -> String {
            r.isEmpty ? "(none)" : "\(r.split(whereSeparator: { $0 == " " || $0 == "\n" }).count) words"
        }
        func speed(_ f: RunFigures) -> String { f.tokensPerSecond.value == nil ? "—" : f.speedText }
        func chunks(_ f: RunFigures) -> String { f.mode == .stream ? RunFigures.count(f.chunks) : "one body" }
        func arrival(_ m: RunMetrics) -> String {
            let line = Sparkline.render(m.arrivalsMs, slots: 24)
            return line.isEmpty ? "—" : line
        }
        let s = stream, n = nonStream
        // Reasoning, when either run has some: ✔ when identical, otherwise no ✘ — its own row,
        // labelled, and never one of the `differences` the verdict reports.
        var reasoning: [Row] = []
        if !s.reasoning.isEmpty || !n.reasoning.isEmpty {
            let same: Bool? = s.reasoning == n.reasoning ? true : nil
            let (a, b) = (thinking(s.reasoning), thinking(n.reasoning))
            reasoning.append(Row(field: "reasoning (may differ)", stream: a, nonStream: b, same: same))
        }
        return [
            Row(field: "status", stream: s.status.rawValue, nonStream: n.status.rawValue, same: s.status == n.status),
            Row(field: "text", stream: text(s), nonStream: text(n), same: textIdentical),
        ] + reasoning + [
            Row(field: "tool calls", stream: calls(s.toolCalls), nonStream: calls(n.toolCalls), same: toolCallsEqual),
            Row(field: "finish reason", stream: s.finishReason ?? "—", nonStream: n.finishReason ?? "—", same: s.finishReason == n.finishReason),
            Row(field: "prompt tokens", stream: "\(s.usage.promptTokens)" + est(s), nonStream: "\(n.usage.promptTokens)" + est(n), same: s.usage.promptTokens == n.usage.promptTokens),
            Row(field: "completion tokens", stream: "\(s.usage.completionTokens)" + est(s), nonStream: "\(n.usage.completionTokens)" + est(n), same: s.usage.completionTokens == n.usage.completionTokens),
            Row(field: "total tokens", stream: "\(s.usage.totalTokens)" + est(s), nonStream: "\(n.usage.totalTokens)" + est(n), same: s.usage.totalTokens == n.usage.totalTokens),
            Row(field: "cost", stream: cost(s.cost), nonStream: cost(n.cost), same: s.cost.usd == n.cost.usd && s.cost.wouldCostUSD == n.cost.wouldCostUSD),
            Row(field: "time to first token", stream: RunFigures.ms(s.figures.ttftMs), nonStream: RunFigures.ms(n.figures.ttftMs), same: nil),
            Row(field: "time to last byte", stream: ms(s.lastByteMs), nonStream: ms(n.lastByteMs), same: nil),
            Row(field: "total latency", stream: RunFigures.ms(s.figures.totalMs), nonStream: RunFigures.ms(n.figures.totalMs), same: nil),
            Row(field: "tokens/s", stream: speed(s.figures), nonStream: speed(n.figures), same: nil),
            Row(field: "chunks", stream: chunks(s.figures), nonStream: chunks(n.figures), same: nil),
            Row(field: "inter-chunk gap", stream: gaps(s), nonStream: gaps(n), same: nil),
            Row(field: "chunk arrival", stream: arrival(s), nonStream: arrival(n), same: nil),
        ]
    }

    private func est(_ m: RunMetrics) -> String { m.usageSource == .estimated ? " est." : "" }

    /// What a reader should take away, in one or two lines.
    public var verdict: String {
        let d = differences
        if d.isEmpty { return "The two modes agree on text, tool calls, finish reason, usage and cost." }
        var s = "Differences: " + d.joined(separator: ", ") + "."
        if d.contains("usage"), stream.usageSource != nonStream.usageSource {
            s += " The \(stream.usageSource == .estimated ? "streamed" : "non-streamed") usage is an estimate: the server reported none."
        }
        if samplingOn && (d.contains("content") || d.contains("tool_calls")) {
            s += " Sampling is on (do_sample true, temperature > 0), so different text is expected; rerun deterministically (d: do_sample false, and temperature 0 with a seed where do_sample is ignored) to compare the modes themselves."
        }
        return s
    }
}

/// With "repeat N", identical answers grouped with how often each mode gave them.
public struct AnswerGroup: Sendable, Equatable {
    public var content: String
    public var toolCalls: [RunMetrics.CanonicalToolCall]
    public var streamRuns: [String] = []
    public var nonStreamRuns: [String] = []

    public static func group(_ metrics: [RunMetrics]) -> [AnswerGroup] {
        var out: [AnswerGroup] = []
        for m in metrics {
            let i = out.firstIndex { $0.content == m.content && $0.toolCalls == m.toolCalls } ?? {
                out.append(AnswerGroup(content: m.content, toolCalls: m.toolCalls))
                return out.count - 1
            }()
            if m.mode == .stream { out[i].streamRuns.append(m.runId) } else { out[i].nonStreamRuns.append(m.runId) }
        }
        return out.sorted { $0.streamRuns.count + $0.nonStreamRuns.count > $1.streamRuns.count + $1.nonStreamRuns.count }
    }
}
