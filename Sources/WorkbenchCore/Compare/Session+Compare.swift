import Foundation

/// One piece of a comparison as it happens: which mode, which repetition, what arrived.
public struct CompareBatch: Sendable {
    public var mode: RunMode
    public var attempt: Int
    public var events: [RunEvent]
}

extension Session {
    /// Sends `request` streamed and non-streamed — concurrently unless `sequential` — `repeats`
    /// times each. Every run is its own run in the log (the conversation's history is left
    /// alone); the caller builds the report from the batches.
    public func compare(_ request: ChatRequest, sequential: Bool = false, repeats: Int = 1) -> AsyncStream<[CompareBatch]> {
        let (stream, continuation) = AsyncStream<[CompareBatch]>.makeStream()
        let id = "compare-" + RunID.make()
        let task = Task { [weak self] in
            guard let self else { continuation.finish(); return }
            for attempt in 0..<max(1, repeats) {
                if Task.isCancelled { break }
                let one: @Sendable (RunMode) async -> Void = { mode in
                    for await batch in await self.run(request, mode: mode) {
                        continuation.yield([CompareBatch(mode: mode, attempt: attempt, events: batch)])
                    }
                }
                if sequential {
                    await one(.stream)
                    await one(.nonStream)
                } else {
                    async let s: Void = one(.stream)
                    async let n: Void = one(.nonStream)
                    _ = await (s, n)
                }
            }
            continuation.finish()
            await self.compareDone(id)
        }
        tasks[id] = task
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func compareDone(_ id: String) { tasks[id] = nil }
}

/// Collects a comparison's batches into metrics per run, then into reports and groups.
public struct CompareCollector: Sendable {
    /// Payload arrival offsets per run: all a comparison keeps of the stream itself.
    private var arrivals: [String: [Double]] = [:]
    public private(set) var results: [(attempt: Int, metrics: RunMetrics)] = []
    private var runOf: [Int: [RunMode: String]] = [:]
    /// Whether the endpoint honours `do_sample` (GLM on Z.AI and GLMSim), which decides whether
    /// a `do_sample: false` request really decoded greedily.
    public var glmRules: Bool

    public init(glmRules: Bool = true) { self.glmRules = glmRules }

    public mutating func add(_ batch: CompareBatch) {
        for e in batch.events {
            if case .started(let s) = e { runOf[batch.attempt, default: [:]][batch.mode] = s.runId }
            guard let id = runOf[batch.attempt]?[batch.mode] else { continue }
            if case .payload(_, let offsetMicros, _) = e { arrivals[id, default: []].append(Double(offsetMicros) / 1000) }
            if let r = e.result {
                results.append((batch.attempt, RunMetrics(result: r, arrivalsMs: arrivals[id] ?? [])))
            }
        }
    }

    public func metrics(attempt: Int, mode: RunMode) -> RunMetrics? {
        results.first { $0.attempt == attempt && $0.metrics.mode == mode }?.metrics
    }

    /// The report of the first repetition (both sides done), or nil while one is running.
    public func report(for request: ChatRequest, attempt: Int = 0) -> ComparisonReport? {
        guard let s = metrics(attempt: attempt, mode: .stream), let n = metrics(attempt: attempt, mode: .nonStream) else { return nil }
        return ComparisonReport(stream: s, nonStream: n, request: request, glmRules: glmRules)
    }

    public var groups: [AnswerGroup] { AnswerGroup.group(results.map(\.metrics)) }

    /// The comparison as the log keeps it, once the first repetition has both sides.
    /// The comparison as the log keeps it. Pure: the caller gives the time (the workbench's
    /// reducer its `now`), and the id is derived from the first run's id, which is already unique,
    /// so the same collector always yields the same record.
    public func stored(for request: ChatRequest, conversationId: String, createdAt: Date) -> StoredComparison? {
        guard let report = report(for: request) else { return nil }
        let all = results.map(\.metrics)
        let streamIds = all.filter { $0.mode == .stream }.map(\.runId)
        let nonStreamIds = all.filter { $0.mode == .nonStream }.map(\.runId)
        guard let first = streamIds.first ?? nonStreamIds.first else { return nil }
        return StoredComparison(
            id: "cmp-" + first, createdAt: createdAt, conversationId: conversationId,
            streamRunIds: streamIds, nonStreamRunIds: nonStreamIds,
            differences: report.differences, sampling: report.samplingOn, verdict: report.verdict)
    }
}
