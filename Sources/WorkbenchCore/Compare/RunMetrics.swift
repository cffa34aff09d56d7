import Foundation

/// What one run of a comparison is measured by: its answer and its timing, taken from the
/// result and the raw payloads' arrival offsets.
public struct RunMetrics: Sendable, Equatable {
    public var runId: String
    public var mode: RunMode
    public var status: RunStatus
    public var content: String
    /// A thinking model's reasoning: compared, but never a difference of the modes (two runs of
    /// one model reason differently even when their answers agree).
    public var reasoning: String
    /// Name and canonical (sorted-key) JSON arguments: key order and spacing are not differences.
    public var toolCalls: [CanonicalToolCall]
    public var finishReason: String?
    public var usage: Usage
    public var usageSource: UsageSource
    public var cost: Cost
    /// TTFT, tokens/s, chunks and total as every front end defines them.
    public var figures: RunFigures
    /// Offset of the last payload (stream) or of the end of the body (non-stream).
    public var lastByteMs: Double?
    public var ttftMs: Double? { figures.ttftMs.value }
    public var totalMs: Double? { figures.totalMs.value }
    public var chunkCount: Int { figures.chunks.value ?? 0 }
    /// Arrival offsets of the payloads, in milliseconds from the request.
    public var arrivalsMs: [Double]

    public struct CanonicalToolCall: Sendable, Equatable, Hashable {
        public var name: String
        public var arguments: String
        public var description: String { "\(name)(\(arguments))" }
    }

    public init(result r: RunResult, arrivalsMs: [Double]) {
        runId = r.runId
        mode = r.mode
        status = r.status
        content = r.content
        reasoning = r.reasoning
        toolCalls = r.toolCalls.map { CanonicalToolCall(name: $0.function.name, arguments: JSONValue.parse($0.function.arguments)?.canonicalText ?? $0.function.arguments) }
        finishReason = r.finishReason
        usage = r.usage
        usageSource = r.usageSource
        cost = r.cost
        figures = RunFigures(result: r)
        lastByteMs = r.mode == .stream ? (arrivalsMs.last ?? r.timings.lastTokenMs) : r.timings.lastTokenMs
        self.arrivalsMs = arrivalsMs
    }

    /// Gaps between consecutive payloads: mean and worst (nil with fewer than two payloads).
    public var gaps: (mean: Double, worst: Double)? {
        guard arrivalsMs.count >= 2 else { return nil }
        let g = zip(arrivalsMs.dropFirst(), arrivalsMs).map { $0 - $1 }
        return (g.reduce(0, +) / Double(g.count), g.max() ?? 0)
    }
}
