import Dispatch
import Foundation
import WorkbenchCore
import WorkbenchUI

/// The workbench's side of evaluations: plans and runs the evaluation view's order exactly as
/// `glmwb eval run` would (`EvalPlan`, `EvalLiveRun`: the same cache, concurrency, budget stop
/// and log), and reports back cell by cell — batched, so a fast server cannot flood the main
/// actor with one event per cell. It never sees the state.
@MainActor
final class EvalHost {
    private let emit: @MainActor @Sendable (AppEvent) -> Void
    private var task: Task<Void, Never>?
    private var stop: EvalStopSwitch?

    init(emit: @escaping @MainActor @Sendable (AppEvent) -> Void) {
        self.emit = emit
    }

    /// Plans `order` against the session's current provider; unless its estimate needs a yes
    /// first, runs it.
    func run(_ order: EvalOrder, services: Services) {
        cancel()
        let evalId = RunID.make()
        let stop = EvalStopSwitch()
        self.stop = stop
        let emit = self.emit
        task = Task { @MainActor in
            do {
                // Reading the template and cases, rendering every cell and looking each up in the
                // log is file and SQLite work: off the main actor, so keys and frames go on.
                let (plan, estimate) = try await Task.detached {
                    let plan = try Self.plan(order, services: services)
                    return (plan, Self.estimate(plan, order: order, services: services))
                }.value
                emit(
                    .evalPlanned(
                        EvalPlanned(
                            evalId: evalId, templatePath: plan.templates.first?.path,
                            casesPath: plan.casesPath, variants: plan.variants,
                            rows: plan.cases.map { EvalRowInfo(name: $0.name, vars: $0.vars, expected: $0.expected) },
                            estimate: estimate)))
                guard !estimate.needsConfirmation else { return }
                var svc = services
                svc.provider = Self.grounded(svc.provider, plan: plan)
                let providers = try await plan.resolveProviders(&svc)
                let batcher = EvalEventBatcher(evalId: evalId, emit: emit)
                let live = EvalLiveRun(
                    plan: plan, services: svc, providers: providers,
                    concurrency: services.config.evalConcurrency ?? 4, maxCost: order.maxCostUSD,
                    useCache: order.useCache)
                let observer = EvalRunObserver(
                    cellStarted: {
                        batcher.add(EvalCellUpdate(row: $0.caseIndex, column: $0.variantIndex, progress: .running))
                    },
                    cellFinished: { spec, r in
                        batcher.add(
                            EvalCellUpdate(row: spec.caseIndex, column: spec.variantIndex, progress: .finished(r)))
                    },
                    progress: { batcher.set($0) },
                    logFailed: { batcher.logFailure = $0 })
                let report = try await live.execute(evalId: evalId, observer: observer, stop: stop)
                // Cells that never ran through a cell's task (skipped by the budget or by Esc, or
                // given up on after rate limits) get their final state from the report.
                for (ci, row) in report.cases.enumerated() {
                    for (vi, v) in plan.variants.enumerated() {
                        guard let r = row.group(v.id)?.runs.first, !batcher.reported(row: ci, column: vi) else {
                            continue
                        }
                        batcher.add(EvalCellUpdate(row: ci, column: vi, progress: .finished(r)))
                    }
                }
                batcher.flush()
                emit(.evalFinished(evalId: evalId, interrupted: report.interrupted, logFailure: batcher.logFailure))
            } catch let f as CLIFailure {
                emit(.evalFailed(f.message))
            } catch {
                emit(.evalFailed("\(error)"))
            }
        }
    }

    /// Esc: stop starting cells and cancel the running ones; finished cells stay.
    func cancel() {
        stop?.fire()
        stop = nil
    }

    /// Quitting: cancel and wait until the cancelled cells and the evaluation are logged.
    func shutdown() async {
        cancel()
        await task?.value
    }

    /// Reads runs from the log for an opened cell: the messages as sent, the output, thinking.
    func load(_ runIds: [String], log: RunLog) {
        let emit = self.emit
        Task.detached {
            let contents = runIds.map { id -> EvalRunContent in
                guard let r = log.record(runId: id) else {
                    return EvalRunContent(runId: id, messages: [], output: "", problem: "run \(id) is not in the log")
                }
                let request = try? JSONDecoder().decode(ChatRequest.self, from: Data(r.requestJson.utf8))
                // An assistant step of a tool loop says which calls it made (its text is often empty).
                let messages = (request?.messages ?? []).map { m in
                    let calls = (m.toolCalls ?? []).isEmpty ? nil : m.toolCalls.map(Self.describe)
                    let text = [m.content, calls].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
                    return EvalRunContent.SentMessage(role: m.role.rawValue, text: text)
                }
                return EvalRunContent(runId: id, messages: messages, output: r.content, reasoning: r.reasoning ?? "")
            }
            await MainActor.run { emit(.evalRunsLoaded(contents)) }
        }
    }

    nonisolated static func describe(_ calls: [ToolCall]) -> String {
        calls.map { "\($0.function.name)(\($0.function.arguments))" }.joined(separator: ", ")
    }

    /// On GLMSim an evaluation asks for the `grounded` answers (as `glmwb eval --provider sim`
    /// does), which read the request, so a template's cases can pass offline; a scenario chosen
    /// already (`--scenario`, a `sim/NAME` model in a column) is left alone.
    nonisolated static func grounded(_ provider: Provider, plan: EvalPlan) -> Provider {
        guard provider.kind == .sim, !provider.extraHeaders.contains(where: { $0.0 == "X-GLMSim-Scenario" }),
            !plan.columns.contains(where: { $0.model.hasPrefix("sim/") })
        else { return provider }
        var p = provider
        p.extraHeaders.append(("X-GLMSim-Scenario", "grounded"))
        return p
    }

    /// The order as `glmwb eval run` options: the template on the current provider, its columns
    /// (HEAD, more models — the first being the template's own — and modes).
    nonisolated static func plan(_ order: EvalOrder, services: Services) throws -> EvalPlan {
        var request = EvalPlanRequest(template: order.template, config: services.config)
        request.providers = [services.provider.name]
        request.modes = order.columns.modes
        if order.columns.againstHEAD { request.against = ["HEAD"] }
        var plan = try EvalPlan.make(request)
        if !order.columns.extraModels.isEmpty, let base = plan.columns.first?.model {
            request.models = [base] + order.columns.extraModels.filter { $0 != base }
            plan = try EvalPlan.make(request)
        }
        return plan
    }

    /// What the run would send and its prompts' estimated cost: the dry run's estimate, over
    /// the cells the log cannot answer.
    nonisolated static func estimate(_ plan: EvalPlan, order: EvalOrder, services: Services) -> EvalEstimate {
        let provider = services.provider
        var toSend = 0
        var usd: Decimal? = 0
        for cell in plan.cells {
            let rendered = plan.rendered[cell.caseIndex][cell.variantIndex]
            let mode = plan.columns[cell.variantIndex].mode
            let loop = !(rendered.tools.isEmpty && rendered.mcpServers.isEmpty)
            if order.useCache, !loop,
                EvalLiveRun.cachedRun(
                    EvalLiveRun.cacheKey(rendered, provider: provider, mode: mode, repeatIndex: cell.repeatIndex),
                    in: services.log) != nil
            {
                continue
            }
            toSend += 1
            let e = DryRunEstimate(
                rendered.request(defaultModel: provider.defaultModel), providerName: provider.name,
                free: provider.free, prices: services.prices)
            if let c = e.promptCost.usd, let u = usd { usd = u + c } else { usd = nil }
        }
        var ask = false
        if let limit = order.confirmAboveUSD, toSend > 0 {
            ask = usd.map { $0 > limit } ?? true
        }
        return EvalEstimate(cells: plan.cells.count, toSend: toSend, promptUSD: usd, needsConfirmation: ask)
    }
}

/// Collects cell updates from the cells' tasks and hands them to the main actor at most about
/// 25 times a second, in one event each time.
final class EvalEventBatcher: @unchecked Sendable {
    private let lock = NSLock()
    private let evalId: String
    private let emit: @MainActor @Sendable (AppEvent) -> Void
    private var updates: [EvalCellUpdate] = []
    private var progress: EvalProgress?
    private var scheduled = false
    private var done: Set<Int> = []
    private var failure: String?

    init(evalId: String, emit: @escaping @MainActor @Sendable (AppEvent) -> Void) {
        self.evalId = evalId
        self.emit = emit
    }

    var logFailure: String? {
        get { lock.withLock { failure } }
        set { lock.withLock { failure = newValue } }
    }

    func add(_ u: EvalCellUpdate) {
        lock.withLock {
            updates.append(u)
            if case .done = u.progress { done.insert(u.row << 16 | u.column) }
        }
        schedule()
    }

    func set(_ p: EvalProgress) {
        lock.withLock { progress = p }
        schedule()
    }

    func reported(row: Int, column: Int) -> Bool {
        lock.withLock { done.contains(row << 16 | column) }
    }

    private func schedule() {
        let start = lock.withLock {
            defer { scheduled = true }
            return !scheduled
        }
        guard start else { return }
        DispatchQueue.main.asyncAfter(deadline: .now() + .milliseconds(40)) {
            MainActor.assumeIsolated { self.flush() }
        }
    }

    @MainActor
    func flush() {
        let (u, p) = lock.withLock {
            defer {
                updates = []
                progress = nil
                scheduled = false
            }
            return (updates, progress)
        }
        if !u.isEmpty { emit(.evalCells(evalId: evalId, u)) }
        if let p { emit(.evalProgress(evalId: evalId, p)) }
    }
}
