import Foundation

/// What one attempt at a cell came to: a result, or the server asked us to slow down (the cell
/// goes back in the queue after the back-off; it is not a failure).
public enum EvalCellAttempt: Sendable, Equatable {
    case finished(EvalCellResult)
    case rateLimited(retryAfterSeconds: Double?, problem: String)
}

/// Where an evaluation stands, for the progress line: a run must never look stuck without
/// saying why.
public struct EvalProgress: Sendable, Equatable {
    public var done = 0
    public var total = 0
    public var passed = 0
    public var failed = 0
    public var errors = 0
    public var costUSD: Decimal = 0
    public var concurrency = 0
    public var running = 0
    public var retries = 0
    /// Seconds of back-off ahead, while rate-limited.
    public var backingOffSeconds: Int?
    public var etaSeconds: Double?
    public init() {}

    /// One printable line, e.g. `12/40 · ✔ 10 ✘ 1 ! 1 · $0.0012 · ETA 8 s · ×4 · retries 2`.
    public var line: String {
        var parts = ["\(done)/\(total)", "✔ \(passed) ✘ \(failed) ! \(errors)", "$" + EvalDecimal.plain(costUSD)]
        if let eta = etaSeconds, done < total { parts.append("ETA \(Int(eta.rounded())) s") }
        parts.append("×\(concurrency)")
        if retries > 0 { parts.append("retries \(retries)") }
        if let b = backingOffSeconds { parts.append("backing off \(b) s") }
        return parts.joined(separator: " · ")
    }
}

/// Runs the matrix: bounded, adaptive concurrency; a cost ceiling that stops starting cells;
/// cancellation that stops starting and lets running cells end as cancelled. The runner knows
/// nothing of HTTP or the log: `execute` runs one cell (a normal logged run) and says how it went.
public struct EvalRunner: Sendable {
    public var concurrency: Int
    public var maxCostUSD: Decimal?
    /// The longest a cell may wait on rate limits in total before it is an error.
    public var maxRateLimitWaitSeconds: Double
    /// Back-off when the server gives none.
    public var defaultBackoffSeconds: Double

    public init(concurrency: Int = 4, maxCostUSD: Decimal? = nil, maxRateLimitWaitSeconds: Double = 300, defaultBackoffSeconds: Double = 2) {
        self.concurrency = max(1, concurrency)
        self.maxCostUSD = maxCostUSD
        self.maxRateLimitWaitSeconds = maxRateLimitWaitSeconds
        self.defaultBackoffSeconds = defaultBackoffSeconds
    }

    /// The cells' results, in any order (`EvalReport.assemble` orders them), and whether the
    /// run was interrupted.
    public func run(_ cells: [EvalCellSpec],
                    execute: @escaping @Sendable (EvalCellSpec) async -> EvalCellAttempt,
                    progress: @escaping @Sendable (EvalProgress) -> Void = { _ in }) async -> (cells: [EvalCellResult], interrupted: Bool) {
        var queue = cells[...]
        var requeued: [(spec: EvalCellSpec, waited: Double)] = []
        var waited: [Int: Double] = [:]  // by position in `cells`
        var index: [String: Int] = [:]
        for (i, c) in cells.enumerated() { index[Self.key(c)] = i }
        var limiter = EvalConcurrency(limit: concurrency)
        var p = EvalProgress()
        p.total = cells.count
        p.concurrency = limiter.current
        var results: [EvalCellResult] = []
        var budgetHit = false
        let started = Date()

        enum Outcome: Sendable { case attempt(EvalCellSpec, EvalCellAttempt), backedOff(EvalCellSpec) }

        await withTaskGroup(of: Outcome.self) { group in
            var running = 0
            func canStart() -> Bool {
                if Task.isCancelled { return false }
                if let m = maxCostUSD, p.costUSD >= m { budgetHit = true; return false }
                return running < limiter.current
            }
            func next() -> EvalCellSpec? {
                if !requeued.isEmpty { return requeued.removeFirst().spec }
                return queue.popFirst()
            }
            func startMore() {
                while canStart(), let spec = next() {
                    running += 1
                    group.addTask { .attempt(spec, await execute(spec)) }
                }
                p.running = running
                progress(p)
            }
            startMore()
            while let outcome = await group.next() {
                running -= 1
                switch outcome {
                case .attempt(let spec, .finished(let r)):
                    results.append(r)
                    p.done += 1
                    switch r.status {
                    case .pass: p.passed += 1
                    case .fail: p.failed += 1
                    case .error, .unscored, .skipped: p.errors += 1
                    }
                    p.costUSD += (r.cached == nil ? (r.costUSD ?? 0) : 0) + r.judgeCostUSD
                    if r.status != .error { limiter.succeeded() }
                    p.backingOffSeconds = nil
                    let elapsed = Date().timeIntervalSince(started)
                    p.etaSeconds = p.done > 0 ? elapsed / Double(p.done) * Double(p.total - p.done) : nil
                    _ = spec
                case .attempt(let spec, .rateLimited(let after, let problem)):
                    limiter.rateLimited()
                    p.retries += 1
                    let i = index[Self.key(spec)] ?? 0
                    let wait = max(0.05, after ?? defaultBackoffSeconds)
                    let total = (waited[i] ?? 0) + wait
                    waited[i] = total
                    if total > maxRateLimitWaitSeconds || Task.isCancelled {
                        results.append(EvalCellResult(caseName: spec.caseName, variantId: spec.variantId, repeatIndex: spec.repeatIndex,
                                                      status: .error, problem: "rate limited for \(Int(total)) s: \(problem)"))
                        p.done += 1
                        p.errors += 1
                    } else {
                        p.backingOffSeconds = Int(wait.rounded(.up))
                        running += 1  // the back-off holds the slot: fewer requests while the server is busy
                        group.addTask {
                            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                            return .backedOff(spec)
                        }
                    }
                case .backedOff(let spec):
                    if Task.isCancelled {
                        results.append(spec.skipped("not run: interrupted"))
                        p.done += 1
                    } else {
                        requeued.append((spec, 0))
                    }
                }
                p.concurrency = limiter.current
                startMore()
            }
        }
        let interrupted = Task.isCancelled
        let why = interrupted ? "not run: interrupted" : (budgetHit ? "not run: --max-cost $\(maxCostUSD.map(EvalDecimal.plain) ?? "") reached" : "not run")
        for spec in requeued.map(\.spec) + Array(queue) { results.append(spec.skipped(why)) }
        return (results, interrupted)
    }

    static func key(_ c: EvalCellSpec) -> String { "\(c.caseIndex)/\(c.variantIndex)/\(c.repeatIndex)" }
}
