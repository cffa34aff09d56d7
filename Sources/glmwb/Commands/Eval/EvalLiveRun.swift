import Foundation
import WorkbenchCore

/// Runs a plan against a provider: each cell is a fresh session (no history leaks between
/// cases) submitting the rendered template exactly as `glmwb run --template` would, the whole
/// tool loop included, logged like any other run.
struct EvalLiveRun: Sendable {
    var plan: EvalPlan
    var services: Services
    /// Every column's provider, by name (`EvalPlan.resolveProviders`).
    var providers: [String: Provider]
    var concurrency: Int
    var maxCost: Decimal?
    /// Answer cells from earlier `ok` runs of the exact same request (off with `--no-cache`).
    var useCache = true

    /// The command line's run: a progress line on stderr, Ctrl-C stops it.
    func execute() async throws -> EvalReport {
        let progressLine = EvalProgressLine()
        // Ctrl-C is watched before the first cell starts, so an early one is never lost.
        let stop = EvalStopSwitch()
        let interrupt = InterruptWatcher { stop.fire() }
        defer {
            interrupt.stop()
            progressLine.end()
        }
        return try await execute(
            evalId: RunID.make(), observer: EvalRunObserver(progress: { progressLine.show($0) }), stop: stop)
    }

    /// Runs every cell, telling `observer` as cells start and finish, until done or `stop` fires;
    /// then logs the evaluation. Both front ends run evaluations through here.
    func execute(evalId: String, observer: EvalRunObserver, stop: EvalStopSwitch) async throws -> EvalReport {
        // One tool setup per template (its columns on other models and modes share it), so an
        // MCP server is started once however many columns use it.
        var byTemplate: [Int: ToolSetup] = [:]
        var seen: Set<Int> = []
        for (vi, col) in plan.columns.enumerated() where seen.insert(col.templateIndex).inserted {
            guard let t = plan.rendered.first?[vi], !(t.tools.isEmpty && t.mcpServers.isEmpty) else { continue }
            byTemplate[col.templateIndex] = try await ToolSetup.make(
                tools: t.tools, servers: t.mcpServers, config: services.config)
        }
        let toolSetups = plan.columns.map { byTemplate[$0.templateIndex] }
        let runner = EvalRunner(concurrency: concurrency, maxCostUSD: maxCost)
        let assertionServices = EvalLiveServices(services: services, providers: providers)
        let plan = self.plan
        let services = self.services
        let providers = self.providers
        let stepLimit = services.config.toolStepLimit ?? 8
        let cache = useCache ? services.log : nil
        let startedAt = Date()
        let work = Task {
            await runner.run(
                plan.cells,
                execute: { spec in
                    observer.cellStarted(spec)
                    let c = plan.cases[spec.caseIndex]
                    let dispatcher = toolSetups[spec.variantIndex]?.dispatcher(
                        policy: .all, approve: { _, _ in true },
                        manual: { call, _ in c.toolResults[call.function.name] })
                    let column = plan.columns[spec.variantIndex]
                    let session = services.session(
                        system: nil, provider: providers[column.provider] ?? services.provider)
                    let attempt = await Self.cell(
                        spec, template: plan.templateName, case: c, rendered: plan.rendered[spec.caseIndex][spec.variantIndex], session: session,
                        cache: cache, mode: column.mode, dispatcher: dispatcher, stepLimit: stepLimit,
                        services: assertionServices)
                    if case .finished(let r) = attempt { observer.cellFinished(spec, r) }
                    return attempt
                }, progress: observer.progress)
        }
        stop.arm { work.cancel() }
        let (cells, interrupted) = await work.value
        for s in byTemplate.values { await s.pool.stopAll() }
        let report = EvalReport.assemble(evalId: evalId, template: plan.templateName, variants: plan.variants, cases: plan.cases,
                                         cells: cells, threshold: plan.threshold, interrupted: interrupted)
        try? await services.log.flush()
        do { try await services.log.recordEval(report, startedAt: startedAt) } catch {
            observer.logFailed("the log could not store evaluation \(evalId): \(error)")
        }
        return report
    }

    /// One cell: the run (every step of a tool loop), then its assertions.
    static func cell(
        _ spec: EvalCellSpec, template: String, case c: EvalCase, rendered: RenderedTemplate, session: Session,
        cache: RunLog?, mode: RunMode, dispatcher: ToolDispatcher?, stepLimit: Int,
        services: EvalLiveServices
    ) async -> EvalCellAttempt {
        // The cache: only single-request cells (a tool loop's later requests depend on its tools).
        var miss: String?
        if let cache, dispatcher == nil {
            let key = cacheKey(rendered, provider: session.provider, mode: mode, repeatIndex: spec.repeatIndex)
            if let hit = cachedRun(key, in: cache) {
                return await cached(spec, case: c, record: hit, services: services)
            }
            let previous = cache.previousEvalRun(
                template: template, caseName: c.name, variantId: spec.variantId,
                repeatIndex: spec.repeatIndex)
            miss = EvalCacheMiss.explain(key, previous: previous)
        } else if cache != nil {
            miss = "a tool loop is always sent: its later requests depend on what its tools return now"
        }
        let attempt = await send(
            spec, case: c, rendered: rendered, session: session, mode: mode, dispatcher: dispatcher,
            stepLimit: stepLimit, services: services)
        guard let miss, case .finished(var result) = attempt else { return attempt }
        result.cacheMiss = miss
        return .finished(result)
    }

    /// What the cache looks a cell up by: the provider, its base URL, the model and the request
    /// body byte for byte, and the repeat.
    static func cacheKey(_ rendered: RenderedTemplate, provider: Provider, mode: RunMode, repeatIndex: Int)
        -> EvalCacheMiss.Key
    {
        var req = rendered.request(defaultModel: provider.defaultModel)
        req.stream = mode == .stream ? true : nil
        return EvalCacheMiss.Key(
            provider: provider.name, baseURL: provider.loggableBaseURL,
            model: req.model, requestJSON: WireJSON.string(req), repeatIndex: repeatIndex)
    }

    static func cachedRun(_ key: EvalCacheMiss.Key, in log: RunLog) -> RunRecord? {
        log.cachedRun(
            provider: key.provider, baseURL: key.baseURL, model: key.model, requestJSON: key.requestJSON,
            repeatIndex: key.repeatIndex)
    }

    /// The cell's request (and its tool loop) sent for real, then its assertions.
    static func send(
        _ spec: EvalCellSpec, case c: EvalCase, rendered: RenderedTemplate, session: Session, mode: RunMode,
        dispatcher: ToolDispatcher?, stepLimit: Int, services: EvalLiveServices
    ) async -> EvalCellAttempt {
        let events = await session.submit(.template(rendered), mode: mode, dispatcher: dispatcher, stepLimit: stepLimit)
        var last: RunResult?
        var toolCalls: [EvalToolCall] = []
        var cost: Decimal? = 0
        var latency: Double = 0
        var usage = Usage(promptTokens: 0, completionTokens: 0)
        for await batch in events {
            for e in batch {
                guard let r = e.result else { continue }
                last = r
                toolCalls += r.toolCalls.map { EvalToolCall(name: $0.function.name, arguments: $0.function.arguments) }
                if let usd = r.cost.usd, let c = cost { cost = c + usd } else { cost = nil }
                latency += r.timings.totalMs ?? 0
                usage.promptTokens += r.usage.promptTokens
                usage.completionTokens += r.usage.completionTokens
            }
        }
        func error(_ why: String, runId: String?) -> EvalCellAttempt {
            .finished(EvalCellResult(caseName: spec.caseName, variantId: spec.variantId, repeatIndex: spec.repeatIndex, runId: runId,
                                     status: .error, output: last?.content ?? "", costUSD: cost, latencyMs: latency, usage: usage, problem: why))
        }
        guard let r = last else { return error(Task.isCancelled ? "cancelled" : "the run ended without a result", runId: nil) }
        if r.status != .ok {
            if EvalConcurrency.isRateLimit(r.error), !Task.isCancelled {
                return .rateLimited(retryAfterSeconds: nil, problem: r.error?.summary ?? "rate limited")
            }
            return error(r.status == .cancelled ? "cancelled" : (r.error?.summary ?? r.status.rawValue), runId: r.runId)
        }
        let o = EvalObservation(output: r.content, toolCalls: toolCalls, finishReason: r.finishReason, costUSD: cost, latencyMs: latency,
                                usage: usage, vars: c.vars, expected: c.expected, runId: r.runId, model: rendered.parameters.model)
        let results = await EvalAssertionEvaluator.evaluate(c.assertions, o, services: services)
        return .finished(.finished(caseName: spec.caseName, variantId: spec.variantId, repeatIndex: spec.repeatIndex, runId: r.runId,
                                   observation: o, assertions: results, costUSD: cost, latencyMs: latency))
    }
}

extension EvalLiveRun {
    /// A cell answered from a logged run: $0 now, the original cost and latency kept as such,
    /// the assertions applied afresh (they may have changed since).
    static func cached(_ spec: EvalCellSpec, case c: EvalCase, record r: RunRecord, services: EvalLiveServices) async -> EvalCellAttempt {
        let calls = EvalRescore.toolCalls([r])
        let usage = Usage(promptTokens: r.promptTokens ?? 0, completionTokens: r.completionTokens ?? 0)
        let original = r.costUsd.flatMap { Decimal(string: $0) }
        let o = EvalObservation(output: r.content, toolCalls: calls, finishReason: r.finishReason, costUSD: original, latencyMs: r.totalMs,
                                usage: usage, vars: c.vars, expected: c.expected, runId: r.id, model: r.model)
        let results = await EvalAssertionEvaluator.evaluate(c.assertions, o, services: services)
        return .finished(.finished(caseName: spec.caseName, variantId: spec.variantId, repeatIndex: spec.repeatIndex, runId: r.id,
                                   cached: EvalCacheOrigin(runId: r.id, originalCostUSD: original, originalLatencyMs: r.totalMs),
                                   observation: o, assertions: results, costUSD: 0, latencyMs: r.totalMs))
    }
}

/// Who watches an evaluation as it runs: the command line's progress line, or the workbench's
/// evaluation view. Called from the cells' tasks, concurrently.
struct EvalRunObserver: Sendable {
    var cellStarted: @Sendable (EvalCellSpec) -> Void = { _ in }
    /// A cell's run and assertions are done (cells skipped at the end are only in the report).
    var cellFinished: @Sendable (EvalCellSpec, EvalCellResult) -> Void = { _, _ in }
    var progress: @Sendable (EvalProgress) -> Void = { _ in }
    var logFailed: @Sendable (String) -> Void = { Console.err("[glmwb] \($0)\n") }
}

/// Cancels the evaluation's task, whether Ctrl-C comes before or after the task exists.
final class EvalStopSwitch: @unchecked Sendable {
    private let lock = NSLock()
    private var fired = false
    private var action: (@Sendable () -> Void)?

    func fire() {
        lock.lock(); fired = true; let a = action; lock.unlock()
        a?()
    }

    func arm(_ a: @escaping @Sendable () -> Void) {
        lock.lock(); action = a; let already = fired; lock.unlock()
        if already { a() }
    }
}

/// The progress line on stderr: rewritten in place on a terminal, else one line per finished
/// cell so a log file shows the run advancing.
final class EvalProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let tty = isatty(STDERR_FILENO) == 1
    private var lastDone = -1

    func show(_ p: EvalProgress) {
        lock.lock(); defer { lock.unlock() }
        if tty {
            Console.err("\r\u{1B}[K[glmwb] eval " + p.line)
        } else if p.done != lastDone || p.backingOffSeconds != nil {
            lastDone = p.done
            Console.err("[glmwb] eval " + p.line + "\n")
        }
    }

    func end() {
        lock.lock(); defer { lock.unlock() }
        if tty { Console.err("\n") }
    }
}
