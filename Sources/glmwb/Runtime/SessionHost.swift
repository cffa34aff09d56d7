import Dispatch
import Foundation
import WorkbenchCore
import WorkbenchUI

/// The workbench's side of the services: the session (one conversation with one provider), the
/// tools of the last loop, the questions a loop is waiting on, and the sessions a new
/// conversation or a provider switch replaced. It carries out the run effects the reducer
/// ordered — every decision (what to send, which tools, which policy) is already in the order —
/// and reports back only through `emit`, on the main actor; it never sees the state.
@MainActor
final class SessionHost {
    private(set) var services: Services
    private(set) var session: Session
    private let providerOptions: ProviderOptions
    private let emit: (AppEvent) -> Void
    private let inbox = RunInbox()
    /// Tool questions waiting for the user, by question id: approval ("" = yes, nil = no) or a
    /// manual result (nil = none given).
    private var pendingAnswers: [String: CheckedContinuation<String?, Never>] = [:]
    /// The tools of the last tool loop, kept for replaying it from an edited step.
    private var lastTools: ToolSetup?
    /// Sessions replaced by a new conversation, a resumed one or a provider switch: their
    /// cancelled runs may still be writing their last record when the user quits.
    private var retired: [Session] = []
    /// Set once quitting has begun: log failures are no longer reported to a closing screen.
    private var closing = false

    init(services: Services, providerOptions: ProviderOptions, emit: @escaping (AppEvent) -> Void) {
        self.services = services
        self.providerOptions = providerOptions
        self.emit = emit
        session = services.session(system: nil)
        watchLog(services.log)
    }

    // MARK: Turns

    func startTurn(_ order: TurnOrder) {
        let session = self.session
        Task {
            await session.configure(sendsCancelledReplies: order.sendsCancelledReplies)
            if let k = order.rewindToUserTurn { await session.rewind(toUserTurn: k) }
            if case .prompt = order.input { await session.setSystem(order.system) }
            var dispatcher: ToolDispatcher?
            if order.usesTools {
                guard let setup = await self.startTools(order.tools, servers: order.mcpServers) else { return }
                dispatcher = self.dispatcher(setup)
            }
            await self.forward(await session.submit(order.input, mode: order.mode, dispatcher: dispatcher,
                                                    stepLimit: self.services.config.toolStepLimit ?? 8))
        }
    }

    func replay(_ order: ReplayOrder) {
        guard let setup = lastTools else {
            // The reducer is waiting for this loop (its reply turn streams): say it never started.
            emit(.sendAborted("cannot replay: that loop's tools are no longer running"))
            return
        }
        let session = self.session
        let dispatcher = self.dispatcher(setup)
        let stepLimit = services.config.toolStepLimit ?? 8
        Task {
            await session.configure(sendsCancelledReplies: order.sendsCancelledReplies)
            await self.forward(await session.runLoop(order.request, mode: order.mode, dispatcher: dispatcher, stepLimit: stepLimit,
                                                     parentRunId: order.parentRunId, templateName: order.templateName,
                                                     templateVariables: order.templateVariables))
        }
    }

    func answer(id: String, approved: Bool, text: String?) {
        pendingAnswers.removeValue(forKey: id)?.resume(returning: approved ? (text ?? "") : nil)
    }

    func cancel(runId: String) {
        let session = self.session
        Task { await session.cancel(runId: runId) }
    }

    /// Stops every run and tool loop; a loop waiting for an answer is told "no" (cancelling
    /// alone would not wake it).
    func cancelAll() {
        dropQuestions()
        let session = self.session
        Task { await session.cancelAll() }
    }

    /// Starts the tools' MCP servers (stopping the previous loop's) and keeps them for a replay;
    /// nil, with the waiting reply turn saying why, when they cannot start.
    private func startTools(_ tools: [ToolDefinition], servers: [String]) async -> ToolSetup? {
        let setup: ToolSetup
        do {
            setup = try await ToolSetup.make(tools: tools, servers: servers, config: services.config)
        } catch {
            emit(.sendAborted("tools: \(error)"))
            return nil
        }
        if let old = lastTools?.pool { Task { await old.stopAll() } }
        lastTools = setup
        return setup
    }

    /// Every call that needs the user becomes a question; the reducer answers approvals itself
    /// when its policy is "all" or "none" (`.toolQuestion`).
    private func dispatcher(_ setup: ToolSetup) -> ToolDispatcher {
        setup.dispatcher(policy: .ask,
                         approve: { call, def in await self.ask(.approve, call, def) != nil },
                         manual: { call, def in await self.ask(.manualResult, call, def) })
    }

    private func ask(_ kind: ToolQuestion.Kind, _ call: ToolCall, _ def: ToolDefinition) async -> String? {
        guard !closing else { return nil }
        return await withCheckedContinuation { c in
            let q = ToolQuestion(id: RunID.make(), kind: kind, call: call, executor: ToolDispatcher.label(def.executor))
            pendingAnswers[q.id] = c
            emit(.toolQuestion(q))
        }
    }

    private func dropQuestions() {
        for (_, c) in pendingAnswers { c.resume(returning: nil) }
        pendingAnswers = [:]
    }

    // MARK: Compare

    /// Compares a new prompt sent after this conversation (the request is built from it).
    func compare(text: String, system: String?, parameters: RequestParameters, sequential: Bool, repeats: Int) {
        let session = self.session
        Task {
            await session.setSystem(system)
            let request = await session.request(for: text, parameters: parameters)
            await self.runCompare(request, sequential: sequential, repeats: repeats)
        }
    }

    /// Runs a comparison into the compare view; `.compareFinished` lets the reducer store it.
    func runCompare(_ request: ChatRequest, sequential: Bool, repeats: Int) async {
        emit(.compareStarted(request, sequential: sequential, repeats: repeats, at: Date()))
        for await batches in await session.compare(request, sequential: sequential, repeats: repeats) {
            emit(.compare(batches))
        }
        emit(.compareFinished(request))
    }

    func store(_ comparison: StoredComparison) { services.log.recordComparison(comparison) }

    /// Cancels a replaced session's runs and keeps it only until they have ended (their last
    /// records handed to the log), then lets it go. Kept for good, every session replaced by
    /// Ctrl-N held its whole history: a long conversation's memory was never given back.
    private func retire(_ old: Session) {
        retired.append(old)
        Task { @MainActor [weak self] in
            await old.cancelAll()
            while !(await old.activeRunIds.isEmpty) { try? await Task.sleep(for: .milliseconds(50)) }
            self?.retired.removeAll { $0 === old }
            self?.giveBackMemory()
        }
    }

    /// A logged run's event timeline (offsets and sizes, not the payloads).
    func timeline(runId: String) throws -> [TimelineEntry] {
        try services.log.eventSizes(runId: runId).map {
            TimelineEntry(seq: $0.seq, offsetMs: Double($0.offsetUs) / 1000, bytes: $0.bytes)
        }
    }

    /// Reads a run's timeline back for the run log pane. A log that cannot give it says why in
    /// the status line, and the pane keeps saying the events are in the log (moving away and back
    /// with `[` `]` tries again) rather than showing none.
    func loadTimeline(runId: String) {
        do {
            emit(.timelineLoaded(runId: runId, try timeline(runId: runId)))
        } catch {
            emit(.status("cannot read the events of run \(runId) from the log: \(error)"))
        }
    }

    /// Gives a dropped conversation's memory back to the system: SQLite's page caches (they
    /// hold what the replies passed through), then the heap's free pages (glibc keeps freed
    /// blocks unless asked): RSS after Ctrl-N is what the user watches. Called when the retired
    /// session is gone and by the runtime once the screen's state has let go of the old
    /// conversation; whichever comes last finds most of it freed, and a second pass a second
    /// later takes what was freed after both (measured: without it, RSS after Ctrl-N was 57 MiB
    /// on some starts and 67 on others). On a Dispatch queue, not the main actor nor the task
    /// pool: the release blocks until the log's writer is idle, and a running evaluation needs
    /// the pool's few threads meanwhile.
    func giveBackMemory() {
        let log = services.log
        let current = session.conversationId
        DispatchQueue.global(qos: .utility).async {
            log.releaseMemory(keepingConversation: current)
            ProcessMemory.giveBack()
        }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + 1) { ProcessMemory.giveBack() }
    }

    // MARK: Conversations

    func newConversation(system: String?) {
        dropQuestions()
        retire(session)
        session = services.session(system: system)
        emit(.conversationLoaded(id: session.conversationId, system: system, turns: [], runs: []))
    }

    func listConversations() {
        do {
            let list = try services.log.conversations()
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm"
            emit(.conversationsListed(list.map { (id: $0.id, label: "\(f.string(from: $0.createdAt))  \($0.runs) run(s)  \($0.provider)/\($0.model)  \($0.title)") }))
        } catch {
            emit(.status("cannot read the log: \(error)"))
        }
    }

    func resume(_ conversationId: String) {
        do {
            let records = try services.log.runs(conversationId: conversationId)
            guard let resumed = ResumedConversation(conversationId: conversationId, records: records) else {
                emit(.status("no runs in conversation \(conversationId)"))
                return
            }
            retire(session)
            session = Session(provider: services.provider, transport: services.transport, log: services.log, prices: services.prices,
                              conversationId: conversationId, system: resumed.system, history: resumed.history,
                              maxEventBytes: services.maxEventBytes)
            services.log.continueConversation(from: resumed.lastRun)
            // The run log pane shows the newest run: only its timeline is read now, the others
            // when the pane is moved to them (`loadTimeline`).
            // A timeline the log cannot give now is shown as kept in the log (and read again
            // when the pane comes back to it), never as no events.
            let runs = records.enumerated().map { i, rec in
                guard i == records.count - 1, let entries = try? timeline(runId: rec.id) else {
                    var run = RunState(record: rec, timeline: [])
                    run.timelineReleased = true
                    return run
                }
                return RunState(record: rec, timeline: entries)
            }
            emit(.conversationLoaded(id: conversationId, system: resumed.system, turns: ConversationRebuild.turns(resumed), runs: runs))
        } catch {
            emit(.status("cannot reopen \(conversationId): \(error)"))
        }
    }

    func switchProvider(_ name: String, system: String?) {
        emit(.status(name == "local" ? "starting the local model (the first time takes minutes)…" : "switching to \(name)…"))
        var options = providerOptions
        options.provider = name
        options.baseURL = nil
        options.model = nil
        Task { @MainActor in
            do {
                let next = try await Services.open(options, quiet: true)
                let old = self.services
                self.services = next
                self.watchLog(next.log)
                Task { await old.close() }
                self.retire(self.session)
                self.session = next.session(system: system)
                self.emit(.conversationLoaded(id: self.session.conversationId, system: system, turns: [], runs: []))
                self.emit(.providerChanged(name: next.provider.name, model: next.provider.defaultModel))
                self.emit(.pricing(PricingContext(providerName: next.provider.name, free: next.provider.free, prices: next.prices,
                                                  servesGLM: next.provider.servesGLM)))
            } catch let e as CLIFailure {
                self.emit(.status(e.message))
            } catch {
                self.emit(.status("cannot switch to \(name): \(error)"))
            }
        }
    }

    /// The same three exports `glmwb logs export` makes, written to the current folder, after
    /// the log has written every run (it writes on its own queue).
    func exportConversation(_ id: String) {
        let log = services.log
        let config = services.config
        Task { @MainActor in
            do {
                try await log.flush()
                let runs = try log.runs(limit: 10_000, conversationId: id)
                let base = try ConversationExport.write(runs, conversationId: id, folder: FileManager.default.currentDirectoryPath,
                                                        config: config)
                self.emit(.status("exported \(runs.count) run(s) to \(base).md, .jsonl and .sh"))
            } catch {
                self.emit(.status("export failed: \(error)"))
            }
        }
    }

    // MARK: Events from runs and the log

    /// Hands a run's event batches to the main actor through the inbox: whatever arrived since
    /// the last drain is reduced in one piece, so a full-speed stream never queues main-actor hops.
    private func forward(_ stream: AsyncStream<[RunEvent]>) async {
        let inbox = self.inbox
        for await batch in stream {
            if inbox.add(batch) {
                DispatchQueue.main.async {
                    MainActor.assumeIsolated {
                        let events = inbox.take()
                        if !events.isEmpty { self.emit(.run(events)) }
                    }
                }
            }
        }
    }

    /// The log writes on its own queue, so a failed write would otherwise go unnoticed until
    /// someone reads the log: its failure handler (called once, at the first failure, on the
    /// writer's thread) becomes `.logWriteFailed` on the main actor — the status line and a
    /// block in the run log pane — while the reply stays in the conversation.
    private func watchLog(_ log: RunLog) {
        log.setFailureHandler { [weak self] failure in
            DispatchQueue.main.async {
                MainActor.assumeIsolated {
                    guard let self, !self.closing else { return }
                    self.emit(.logWriteFailed(Self.describe(failure)))
                }
            }
        }
    }

    /// The failure as the status line and the log pane put it after "the run log could not be
    /// written:": the reason in words, then the file and SQLite's own words.
    static func describe(_ f: RunLog.WriteFailure) -> String {
        "\(f.reason) (\(f.path); \(f.cause))"
    }

    // MARK: Quitting

    /// Cancels every run and tool loop, waits (at most `grace`) until each has ended — its
    /// terminal `.cancelled` event handed to the log — and the log has committed it, then stops
    /// the tool servers and the services. Returns whether the runs were saved in time.
    func shutdown(grace: Duration) async -> Bool {
        closing = true
        dropQuestions()
        let sessions = retired + [session]
        let services = self.services
        let pool = lastTools?.pool
        let settled = await Self.within(grace) {
            for s in sessions { await s.cancelAll() }
            while true {
                var busy = false
                for s in sessions where !(await s.activeRunIds.isEmpty) { busy = true }
                if !busy { break }
                try? await Task.sleep(for: .milliseconds(10))
            }
            try? await services.log.flush()
        }
        // Tool servers are stopped after the loops have ended, so a loop sees its own
        // cancellation rather than a server that vanished under it.
        _ = await Self.within(.milliseconds(500)) {
            if let pool { await pool.stopAll() }
            await services.close()
        }
        return settled
    }

    /// Runs `work` but waits for it at most `limit`; true when it finished in time. Quitting
    /// must never hang on a stuck write or a tool that ignores cancellation; the work left
    /// behind ends with the process.
    static func within(_ limit: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        let gate = OnceGate()
        return await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            Task {
                await work()
                if gate.open() { c.resume(returning: true) }
            }
            Task {
                try? await Task.sleep(for: limit)
                if gate.open() { c.resume(returning: false) }
            }
        }
    }
}
