import Foundation

/// One run of one case in one variant (one repeat of it): the unit the runner produces and the
/// log stores.
public struct EvalCellResult: Sendable, Equatable {
    public var caseName: String
    public var variantId: String
    /// 0-based; with `--repeat N`, 0..<N (each its own cache key).
    public var repeatIndex: Int
    /// The logged run (nil when nothing ran: skipped, or failed before sending).
    public var runId: String?
    public var status: EvalCellStatus
    /// Set when the answer came from the log instead of the network.
    public var cached: EvalCacheOrigin?
    public var output: String
    public var toolCalls: [EvalToolCall]
    public var finishReason: String?
    public var assertions: [EvalAssertionResult]
    /// What this evaluation paid for the run: 0 for a cached cell, nil when the price is unknown.
    /// Judge costs are separate (`judgeCostUSD`).
    public var costUSD: Decimal?
    /// Measured in this evaluation (request → last byte); nil for a cached cell (its original is
    /// in `cached`) and for runs that never answered.
    public var latencyMs: Double?
    public var usage: Usage?
    /// Why the cell is an error or skipped (one line).
    public var problem: String?
    /// Why a sent cell was not answered from the log (`EvalCacheMiss`); nil when the cache was
    /// off, the cell was cached, or it was never looked up.
    public var cacheMiss: String?

    public init(caseName: String, variantId: String, repeatIndex: Int = 0, runId: String? = nil, status: EvalCellStatus,
                cached: EvalCacheOrigin? = nil, output: String = "", toolCalls: [EvalToolCall] = [], finishReason: String? = nil,
                assertions: [EvalAssertionResult] = [], costUSD: Decimal? = nil, latencyMs: Double? = nil, usage: Usage? = nil,
                problem: String? = nil) {
        self.caseName = caseName
        self.variantId = variantId
        self.repeatIndex = repeatIndex
        self.runId = runId
        self.status = status
        self.cached = cached
        self.output = output
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.assertions = assertions
        self.costUSD = costUSD
        self.latencyMs = latencyMs
        self.usage = usage
        self.problem = problem.map(EvalReason.oneLine)
    }

    /// A finished run: its status is judged from its assertions.
    public static func finished(caseName: String, variantId: String, repeatIndex: Int = 0, runId: String?, cached: EvalCacheOrigin? = nil,
                                observation o: EvalObservation, assertions: [EvalAssertionResult], costUSD: Decimal?, latencyMs: Double?) -> EvalCellResult {
        EvalCellResult(caseName: caseName, variantId: variantId, repeatIndex: repeatIndex, runId: runId, status: .judged(assertions),
                       cached: cached, output: o.output, toolCalls: o.toolCalls, finishReason: o.finishReason, assertions: assertions,
                       costUSD: costUSD, latencyMs: latencyMs, usage: o.usage,
                       problem: assertions.isEmpty ? "no assertions: nothing checked this output" : nil)
    }

    /// The sum of the judges' costs in this cell (0 when none ran; unknown judge costs count 0
    /// and are reported by `EvalVariantSummary.unknownCostRuns`).
    public var judgeCostUSD: Decimal {
        assertions.reduce(Decimal(0)) { $0 + ($1.judgeCostUSD ?? 0) }
    }

    /// The one line that explains a cell that did not pass: the first failing assertion's
    /// reason, or the problem, or the first unscored reason.
    public var reason: String? {
        switch status {
        case .pass: return nil
        case .fail: return assertions.first { $0.verdict == .fail }.map { "\($0.type): \($0.reason)" }
        case .unscored: return assertions.first { $0.verdict == .unscored }.map { "\($0.type): \($0.reason)" } ?? problem
        case .error, .skipped: return problem
        }
    }
}

/// Where a cached cell's answer came from, with what it cost and took then.
public struct EvalCacheOrigin: Sendable, Equatable {
    public var runId: String
    public var originalCostUSD: Decimal?
    public var originalLatencyMs: Double?

    public init(runId: String, originalCostUSD: Decimal?, originalLatencyMs: Double?) {
        self.runId = runId
        self.originalCostUSD = originalCostUSD
        self.originalLatencyMs = originalLatencyMs
    }
}
