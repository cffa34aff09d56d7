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

    public init(variantId: String, groups: [EvalCellGroup]) {
        self.variantId = variantId
        var counts: [EvalCellStatus: Int] = [:]
        for g in groups { counts[g.status, default: 0] += 1 }
        passed = counts[.pass] ?? 0
        failed = counts[.fail] ?? 0
        errors = counts[.error] ?? 0
        unscored = counts[.unscored] ?? 0
        skipped = counts[.skipped] ?? 0
        flaky = groups.filter(\.isFlaky).count
        let all = groups.flatMap(\.runs)
        let ran = all.filter { $0.status != .skipped }
        runs = ran.count
        cachedRuns = ran.filter { $0.cached != nil }.count
        var cost = Decimal(0), judge = Decimal(0), unknown = 0
        var prompt = 0, completion = 0
        for r in ran {
            // A run that errored without a cost was not billed (the runner gives a billed one its cost).
            if let c = r.costUSD { cost += c } else if r.runId != nil, r.status != .error { unknown += 1 }
            for a in r.assertions where a.type == "judge" {
                if let c = a.judgeCostUSD { judge += c } else if a.judgeRunId != nil { unknown += 1 }
            }
            if let u = r.usage, r.cached == nil {
                prompt = prompt.addingSaturated(u.promptTokens)
                completion = completion.addingSaturated(u.completionTokens)
            }
        }
        costUSD = cost + judge
        judgeCostUSD = judge
        unknownCostRuns = unknown
        promptTokens = prompt
        completionTokens = completion
        let latencies = ran.filter { $0.cached == nil }.compactMap(\.latencyMs).filter(\.isFinite).sorted()
        p50LatencyMs = Self.percentile(50, ofSorted: latencies)
        p95LatencyMs = Self.percentile(95, ofSorted: latencies)
    }

    /// Nearest rank: the value at 1-based rank ⌈p/100 · n⌉ of `sorted` (ascending); nil when empty.
    public static func percentile(_ p: Double, ofSorted sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
