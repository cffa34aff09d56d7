import Foundation
import Synchronization
import Testing
@testable import WorkbenchCore

/// The runner's scheduling with an in-memory cell (the CLI tests run it against GLMSim): a
/// server that answers 1302 above N concurrent requests, the budget stop and cancellation.
@Suite("EvalRunner scheduling")
struct EvalRunnerTests {
    static func cells(_ n: Int) -> [EvalCellSpec] {
        EvalMatrix.cells(cases: (0..<n).map { EvalCase(name: "c\($0)") }, variants: [EvalVariant(id: "A", label: "a", source: .file(path: nil))], repeats: 1)
    }

    static func pass(_ s: EvalCellSpec, cost: Decimal = 0) -> EvalCellAttempt {
        .finished(EvalCellResult(caseName: s.caseName, variantId: s.variantId, repeatIndex: s.repeatIndex, status: .pass, costUSD: cost))
    }

    @Test("a server that answers 1302 above 2 concurrent requests: concurrency halves, every cell still passes, retries counted")
    func rateLimitHalves() async {
        let inFlight = Mutex(0), peakAfterLimit = Mutex(0), limited = Mutex(false)
        let seen = Mutex<[EvalProgress]>([])
        let runner = EvalRunner(concurrency: 8, defaultBackoffSeconds: 0.01)
        let (results, interrupted) = await runner.run(Self.cells(40), execute: { spec in
            let n = inFlight.withLock { $0 += 1; return $0 }
            defer { inFlight.withLock { $0 -= 1 } }
            if n > 2 {
                limited.withLock { $0 = true }
                return .rateLimited(retryAfterSeconds: 0.01, problem: "API error (code 1302)")
            }
            if limited.withLock({ $0 }) { peakAfterLimit.withLock { $0 = max($0, n) } }
            try? await Task.sleep(for: .milliseconds(5))
            return Self.pass(spec)
        }, progress: { p in seen.withLock { $0.append(p) } })
        #expect(!interrupted)
        #expect(results.count == 40)
        #expect(results.allSatisfy { $0.status == .pass }, "rate limiting never fails a cell")
        let progress = seen.withLock { $0 }
        #expect(progress.contains { $0.concurrency < 8 }, "the limit was halved")
        #expect((progress.last?.retries ?? 0) > 0)
        #expect(progress.contains { $0.backingOffSeconds != nil }, "the progress says it is backing off")
    }

    @Test("a cell rate-limited past the bounded wait is an error, not a hang")
    func boundedWait() async {
        let runner = EvalRunner(concurrency: 2, maxRateLimitWaitSeconds: 0.05, defaultBackoffSeconds: 0.02)
        let (results, _) = await runner.run(Self.cells(2), execute: { _ in .rateLimited(retryAfterSeconds: nil, problem: "1302") })
        #expect(results.count == 2)
        #expect(results.allSatisfy { $0.status == .error && ($0.problem ?? "").contains("rate limited") })
    }

    @Test("--max-cost: once spent, no new cell starts; the rest are skipped and say why")
    func budget() async {
        let started = Mutex(0)
        let runner = EvalRunner(concurrency: 1, maxCostUSD: Decimal(string: "0.003"))
        let (results, _) = await runner.run(Self.cells(10), execute: { spec in
            started.withLock { $0 += 1 }
            return Self.pass(spec, cost: Decimal(string: "0.001")!)
        })
        #expect(started.withLock { $0 } == 3)
        #expect(results.filter { $0.status == .skipped }.count == 7)
        #expect(results.first { $0.status == .skipped }?.problem?.contains("--max-cost $0.003") == true)
    }

    @Test("concurrency never exceeds the limit and recovers one slot after sustained success")
    func recovery() {
        var c = EvalConcurrency(limit: 4, recoverAfter: 2)
        c.rateLimited(); #expect(c.current == 2)
        c.rateLimited(); c.rateLimited(); #expect(c.current == 1)
        c.succeeded(); #expect(c.current == 1)
        c.succeeded(); #expect(c.current == 2)
        for _ in 0..<20 { c.succeeded() }
        #expect(c.current == 4)
        #expect(EvalConcurrency.isRateLimit(RunError(kind: .api, code: "1303", message: "")))
        #expect(EvalConcurrency.isRateLimit(RunError(kind: .api, httpStatus: 429, message: "")))
        #expect(!EvalConcurrency.isRateLimit(RunError(kind: .api, code: "500", httpStatus: 500, message: "")))
        // 1113 (no balance) comes as HTTP 429 too, but no back-off fixes it: an error at once.
        #expect(!EvalConcurrency.isRateLimit(RunError(kind: .api, code: "1113", httpStatus: 429, message: "")))
        #expect(EvalConcurrency.isRateLimit(RunError(kind: .api, code: "1305", httpStatus: 429, message: "")))
    }
}
