import Foundation

/// Several runs' figures added up: a tool loop's steps, or a conversation's runs. Unknowns are
/// counted as such, never as zero, and an estimate anywhere marks the sum an estimate.
public struct RunTotals: Sendable, Equatable {
    public var runs = 0
    public var promptTokens = 0
    public var completionTokens = 0
    /// Some run's counts were estimated (the server reported no usage for it).
    public var estimated = false
    /// Runs whose token counts are unknown (the log never got their end).
    public var unknownTokenRuns = 0
    public var usd: Decimal = 0
    public var wouldCostUSD: Decimal = 0
    /// Runs whose cost is unknown (no price, or the run never finished).
    public var unknownCostRuns = 0

    public init() {}

    public init(_ figures: [RunFigures]) {
        for f in figures { add(f) }
    }

    public mutating func add(_ f: RunFigures) {
        runs += 1
        if let p = f.promptTokens.value, let c = f.completionTokens.value {
            promptTokens = promptTokens.addingSaturated(p)
            completionTokens = completionTokens.addingSaturated(c)
            if f.promptTokens.source == .estimated || f.completionTokens.source == .estimated { estimated = true }
        } else {
            unknownTokenRuns += 1
        }
        if let cost = f.cost, cost.basis == .notBilled || cost.usd != nil {
            usd += cost.usd ?? 0
            wouldCostUSD += cost.wouldCostUSD ?? 0
        } else {
            unknownCostRuns += 1
        }
    }

    /// `1203 in / 45 out`, `est.` when any part is estimated, and how many runs are unknown.
    public var tokensText: String {
        var s = "\(promptTokens) in / \(completionTokens) out" + (estimated ? " est." : "")
        if unknownTokenRuns > 0 { s += " + \(unknownTokenRuns) run(s) unknown" }
        return s
    }

    /// `$0.0012`, with the runs at an unknown price and the GLM-rate equivalent of free runs.
    public var costText: String {
        var s = Cost.format(usd) + (estimated ? " est." : "")
        if unknownCostRuns > 0 { s += " + \(unknownCostRuns) run(s) at unknown cost" }
        if wouldCostUSD > 0 { s += " (would cost \(Cost.format(wouldCostUSD)) at GLM rates)" }
        return s
    }
}
