import Foundation

/// A variant's totals: counts of cases by status (a case counts once, however many repeats),
/// money as an exact `Decimal`, tokens, and latency percentiles.
///
/// Percentiles use the nearest-rank definition: with the n measured latencies sorted ascending,
/// the p-th percentile is the value at rank ⌈p/100 · n⌉ (1-based). It is always a latency that
/// was actually measured — never an interpolation between two — and with one run p50 = p95 = it.
/// Measured means measured in this evaluation: cached cells (whose original latency belongs to
/// another run) and runs that never answered are left out.
public struct EvalVariantSummary: Sendable, Equatable {
    public var variantId: String
    public var passed: Int
    public var failed: Int
    public var errors: Int
    public var unscored: Int
    public var skipped: Int
    /// Cases that passed some repeats but not all.
    public var flaky: Int
    /// Runs made (repeats included), and how many came from the cache.
    public var runs: Int
    public var cachedRuns: Int
    /// What the variant's runs and their judges cost in this evaluation.
    public var costUSD: Decimal
    /// The judges' part of `costUSD`, labelled separately.
    public var judgeCostUSD: Decimal
    /// Runs that answered (or judges) whose cost is unknown: `costUSD` is then a lower bound,
    /// and says so. An errored run without a cost was not billed and is not counted.
    public var unknownCostRuns: Int
    public var promptTokens: Int
    public var completionTokens: Int
    public var p50LatencyMs: Double?
    public var p95LatencyMs: Double?

    public var total: Int { passed + failed + errors + unscored + skipped }
    public var tokens: Int { promptTokens.addingSaturated(completionTokens) }

    /// The measured latencies, ascending: what the percentiles are taken from.
    private var measuredLatencies: [Double] = []

    public init(variantId: String, groups: [EvalCellGroup]) {
        self.init(variantId: variantId)
        for g in groups { add(g) }
    }

    /// Nothing counted yet: `add` counts groups one at a time, so a view that fills cell by cell
    /// keeps its totals by the same definition without recounting every cell.
    public init(variantId: String) {
        self.variantId = variantId
        passed = 0
        failed = 0
        errors = 0
        unscored = 0
        skipped = 0
        flaky = 0
        runs = 0
        cachedRuns = 0
        costUSD = 0
        judgeCostUSD = 0
        unknownCostRuns = 0
        promptTokens = 0
        completionTokens = 0
    }

    /// Counts one case's group: its status once, and each of its runs.
    public mutating func add(_ g: EvalCellGroup) {
        switch g.status {
        case .pass: passed += 1
        case .fail: failed += 1
        case .error: errors += 1
        case .unscored: unscored += 1
        case .skipped: skipped += 1
        }
        if g.isFlaky { flaky += 1 }
        for r in g.runs where r.status != .skipped {
            runs += 1
            if r.cached != nil { cachedRuns += 1 }
            // A run that errored without a cost was not billed (the runner gives a billed one its cost).
            if let c = r.costUSD { costUSD += c } else if r.runId != nil, r.status != .error { unknownCostRuns += 1 }
            for a in r.assertions where a.type == "judge" {
                if let c = a.judgeCostUSD {
                    judgeCostUSD += c
                    costUSD += c
                } else if a.judgeRunId != nil {
                    unknownCostRuns += 1
                }
            }
            if let u = r.usage, r.cached == nil {
                promptTokens = promptTokens.addingSaturated(u.promptTokens)
                completionTokens = completionTokens.addingSaturated(u.completionTokens)
            }
            if r.cached == nil, let ms = r.latencyMs, ms.isFinite {
                // Sorted insertion keeps the percentiles exact as cells arrive one by one.
                var lo = 0
                var hi = measuredLatencies.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if measuredLatencies[mid] <= ms { lo = mid + 1 } else { hi = mid }
                }
                measuredLatencies.insert(ms, at: lo)
            }
        }
        p50LatencyMs = Self.percentile(50, ofSorted: measuredLatencies)
        p95LatencyMs = Self.percentile(95, ofSorted: measuredLatencies)
    }

    /// Nearest rank: the value at 1-based rank ⌈p/100 · n⌉ of `sorted` (ascending); nil when empty.
    public static func percentile(_ p: Double, ofSorted sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
