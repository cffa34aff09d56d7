import Dispatch
import Foundation
import TerminalNcurses
import WorkbenchCore
import WorkbenchUI

/// The full-screen workbench: owns the terminal, the state and the session, turns input and run
/// events into `AppEvent`s, performs effects, and renders at most about 60 frames a second.
/// Every ncurses call happens here, on the main actor.
@MainActor
final class TUIRuntime {
    private var state: AppState
    private let term: NcursesTerminal
    private var services: Services
    private var session: Session
    private let inbox = RunInbox()
    private var sources: [DispatchSourceProtocol] = []
    private var ticker: DispatchSourceTimer?
    private var renderPending = false
    private var lastRender = ContinuousClock.now
    private let frameInterval = Duration.milliseconds(16)
    private var finished: CheckedContinuation<Void, Never>?
    private let providerOptions: ProviderOptions
    private var watcher: FileWatcher?
    /// Tool questions waiting for the user, by question id: approval ("" = yes, nil = no) or a
    /// manual result (nil = none given).
    private var pendingAnswers: [String: CheckedContinuation<String?, Never>] = [:]
    /// The tools of the last tool loop, kept for replaying it from an edited step.
    private var lastTools: (setup: ToolSetup, mode: RunMode)?
    /// Whether cancelled replies join the history (the palette's toggle, carried by
    /// `.sendCancelledReplies`): applied to the session before each send, so a session started
    /// later (new conversation, resume, provider switch) follows it too.
    private var sendCancelled = false
    /// Sessions replaced by a new conversation, a resumed one or a provider switch: their
    /// cancelled runs may still be writing their last record when the user quits.
    private var retired: [Session] = []
    /// Set once quitting has begun: input, signals and frames stop, a second quit is ignored.
    private var quitStarted = false
    /// The signal that ended the workbench, for the exit status (128 + its number).
    private(set) var endedBySignal: Int32?
    /// The terminal hung up (SIGHUP, or input at end of file): nothing more is drawn on it.
    private var hungUp = false
    /// How long quitting waits for cancelled runs to be logged before it gives up on them
    /// (they are then marked interrupted by the next start, as after a kill).
    static let quitGrace = Duration.seconds(2)

    init(services: Services, theme: Theme, providerOptions: ProviderOptions, budget: Decimal? = nil) throws {
        self.services = services
        self.providerOptions = providerOptions
        CrashRestore.install(fd: STDOUT_FILENO)
        term = try NcursesTerminal(theme: theme)
        session = services.session(system: nil)
        state = AppState(width: term.width, height: term.height, providerName: services.provider.name,
                         model: providerOptions.model ?? services.provider.defaultModel, conversationId: session.conversationId)
        state.parameters.model = providerOptions.model
        state.budgetUSD = budget
        state.providerNames = ["zai", "local", "sim"] + services.config.providers.keys.sorted()
        state.pricing = PricingContext(providerName: services.provider.name, free: services.provider.free, prices: services.prices, servesGLM: services.provider.servesGLM)
        state.paths = UserPaths(environment: ProcessInfo.processInfo.environment, draftFile: DraftFile.path(besideLog: services.log.path))
    }

    /// Runs until the user quits (by key or by a terminating signal; `endedBySignal` says which).
    /// `resume`: nil, "" (open the picker), or a conversation id.
    func run(resume: String?) async {
        installSources()
        watchLog(services.log)
        loadTemplates()
        send(.draftRestored(DraftFile.load(DraftFile.path(besideLog: services.log.path))))
        if let resume {
            if resume.isEmpty { perform(.listConversations) } else { perform(.resume(resume)) }
        }
        render()
        // Test hook for the end-to-end suite: proves a crash still restores the terminal.
        if ProcessInfo.processInfo.environment["GLMWB_CRASH_TEST"] == "1" {
            DispatchQueue.main.asyncAfter(deadline: .now() + .milliseconds(300)) { fatalError("GLMWB_CRASH_TEST") }
        }
        await withCheckedContinuation { finished = $0 }
    }

    private func send(_ event: AppEvent) {
        for effect in state.reduce(event) { perform(effect) }
        setNeedsRender()
    }

    // MARK: Rendering

    private func setNeedsRender() {
        guard !renderPending else { return }
        renderPending = true
        let wait = frameInterval - (ContinuousClock.now - lastRender)
        let delay = wait > .zero ? wait : .zero
        let ns = Int(delay.components.attoseconds / 1_000_000_000) + Int(delay.components.seconds) * 1_000_000_000
        DispatchQueue.main.asyncAfter(deadline: .now() + .nanoseconds(ns)) {
            MainActor.assumeIsolated { self.render() }
        }
    }

    private func render() {
        renderPending = false
        guard !hungUp else { return }
        lastRender = .now
        term.flush(Screen.render(state))
    }

    // MARK: Input, signals, timers

    private func installSources() {
        let input = DispatchSource.makeReadSource(fileDescriptor: STDIN_FILENO, queue: .main)
        input.setEventHandler {
            MainActor.assumeIsolated {
                // A closed terminal stays "readable" forever with nothing to read: without this
                // the main queue would spin at full speed until a SIGHUP came (if one comes).
                if Self.inputHungUp() {
                    self.terminate(signal: SIGHUP)
                    return
                }
                for e in self.term.readInput() { self.send(.input(e)) }
            }
        }
        input.resume()
        sources.append(input)

        signal(SIGWINCH, SIG_IGN)
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .main)
        winch.setEventHandler {
            MainActor.assumeIsolated {
                let size = self.term.handleResize()
                self.send(.input(.resize(width: size.width, height: size.height)))
                self.render()
            }
        }
        winch.resume()
        sources.append(winch)

        // Terminating signals quit the way Ctrl-Q does: through the reducer, then `quit()`,
        // which cancels the runs and waits for the log to record them before letting go.
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            s.setEventHandler { MainActor.assumeIsolated { self.terminate(signal: sig) } }
            s.resume()
            sources.append(s)
        }
        // SIGQUIT's default action is a core dump, and the Swift runtime's backtracer catches it
        // and prints its crash banner over the screen. Under `raw()` Ctrl-\ is a key, so SIGQUIT
        // can only come from outside (`kill -QUIT`): the screen is ours, so it is ignored.
        signal(SIGQUIT, SIG_IGN)

        let t = DispatchSource.makeTimerSource(queue: .main)
        t.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        t.setEventHandler {
            MainActor.assumeIsolated {
                if self.state.isRunning { self.send(.tick) }
            }
        }
        t.resume()
        ticker = t
    }

    /// A terminating signal or a hung-up terminal: remembered for the exit status, then the
    /// same quit as the key.
    private func terminate(signal sig: Int32) {
        guard !quitStarted else { return }
        endedBySignal = sig
        if sig == SIGHUP { hungUp = true }
        send(.terminate(signal: sig))
    }

    /// True when stdin is a terminal that has gone away (its other side closed).
    private static func inputHungUp() -> Bool {
        var p = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return false }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    // MARK: Effects

    private func perform(_ effect: Effect) {
        switch effect {
        case .send(let text, let system, let parameters, let mode, let rewind):
            let session = self.session
            let withTools = state.offerCatalogTools && !state.toolCatalog.isEmpty
            let sendCancelled = self.sendCancelled
            Task {
                await session.configure(sendsCancelledReplies: sendCancelled)
                if let k = rewind { await session.rewind(toUserTurn: k) }
                await session.setSystem(system)
                if withTools {
                    await self.sendWithCatalogTools(text, parameters: parameters, mode: mode)
                } else {
                    await self.forward(await session.submit(text, parameters: parameters, mode: mode))
                }
            }
        case .sendTemplate(let rendered, let mode):
            let session = self.session
            let sendCancelled = self.sendCancelled
            if rendered.tools.isEmpty && rendered.mcpServers.isEmpty {
                Task {
                    await session.configure(sendsCancelledReplies: sendCancelled)
                    await self.forward(await session.submit(rendered, mode: mode))
                }
            } else {
                Task {
                    await session.configure(sendsCancelledReplies: sendCancelled)
                    await self.sendWithTools(rendered, mode: mode)
                }
            }
        case .answerTool(let id, let approved, let text):
            pendingAnswers.removeValue(forKey: id)?.resume(returning: approved ? (text ?? "") : nil)
        case .replayTool(let runId, let callId, let result):
            Task { await self.replay(runId: runId, callId: callId, result: result) }
        case .compare(let text, let system, let parameters, let sequential, let repeats):
            let session = self.session
            Task {
                await session.setSystem(system)
                let request = await session.request(for: text, parameters: parameters)
                await self.runCompare(request, sequential: sequential, repeats: repeats)
            }
        case .compareRequest(let request, let sequential, let repeats):
            Task { await self.runCompare(request, sequential: sequential, repeats: repeats) }
        case .exportConversation(let id):
            Task { await self.exportConversation(id) }
        case .sendCancelledReplies(let on):
            sendCancelled = on
            let session = self.session
            Task { await session.configure(sendsCancelledReplies: on) }
        case .cancelAll:
            let session = self.session
            for (_, c) in pendingAnswers { c.resume(returning: nil) }
            pendingAnswers = [:]
            Task { await session.cancelAll() }
        case .editFile(let path):
            editFile(path)
        case .editCopy(let source, let copy):
            do {
                if !(try TemplateWriter.copyForEditing(source: source, to: copy)) { send(.status("editing your copy \(copy) (it overrides the shipped one)")) }
                editFile(copy)
            } catch { send(.status("not edited: cannot copy \(source) to \(copy): \(error.localizedDescription)")) }
        case .saveDraft(let path, let text):
            do { try DraftFile.save(text, to: path) } catch { send(.status("the unsent prompt could not be kept in \(path): \(error.localizedDescription)")) }
        case .saveTemplate(let name, let text):
            saveTemplate(name: name, text: text)
        case .cancelRun(let id):
            let session = self.session
            Task { await session.cancel(runId: id) }
        case .newConversation:
            let old = session
            // A loop waiting for an answer would wait forever: cancelling does not wake it.
            for (_, c) in pendingAnswers { c.resume(returning: nil) }
            pendingAnswers = [:]
            retire(old)
            Task { await old.cancelAll() }
            session = services.session(system: state.system)
            send(.conversationLoaded(id: session.conversationId, turns: [], runs: []))
        case .listConversations:
            do {
                let list = try services.log.conversations()
                let f = DateFormatter()
                f.dateFormat = "yyyy-MM-dd HH:mm"
                send(.conversationsListed(list.map { (id: $0.id, label: "\(f.string(from: $0.createdAt))  \($0.runs) run(s)  \($0.provider)/\($0.model)  \($0.title)") }))
            } catch {
                send(.status("cannot read the log: \(error)"))
            }
        case .resume(let id):
            resume(id)
        case .switchProvider(let name):
            switchProvider(name)
        case .copy(let text):
            term.copyToClipboard(text)
        case .suspend:
            term.suspend()
            let size = term.handleResize()
            send(.input(.resize(width: size.width, height: size.height)))
            render()
        case .quit:
            quit()
        }
    }

    private func drainInbox() {
        let events = inbox.take()
        guard !events.isEmpty else { return }
        send(.run(events))
    }

    /// Reads the template library and the tools file; called at start and whenever the watcher
    /// sees a change, so an open form follows its file.
    private func loadTemplates() {
        let env = ProcessInfo.processInfo.environment
        let library = TemplateLibrary.load(environment: env)
        let toolsPath = ToolsFile.defaultPath(environment: env)
        do {
            send(.toolsLoaded(try ToolsFile.load(path: toolsPath)))
        } catch {
            send(.toolsLoaded([]))
            send(.status("tools file: \(error)"))
        }
        send(.templatesLoaded(library.templates, errors: library.errors))
        if watcher == nil {
            let w = FileWatcher(folders: library.folders.map(\.path), files: [toolsPath])
            w.start { [weak self] in self?.loadTemplates() }
            watcher = w
        }
    }

    private func editFile(_ path: String) {
        for s in sources { s.suspend() }
        term.pauseForExternalProgram()
        let result = ExternalEditor.edit(path)
        term.resumeAfterExternalProgram()
        for s in sources { s.resume() }
        let size = term.handleResize()
        send(.input(.resize(width: size.width, height: size.height)))
        switch result {
        case .failure(let f): send(.status(f.message))
        case .success(let status): if status != 0 { send(.status("the editor exited with status \(status)")) }
        }
        loadTemplates()
        render()
    }

    private func saveTemplate(name: String, text: String) {
        let folder = TemplateLibrary.userFolder(environment: ProcessInfo.processInfo.environment)
        do {
            let path = try TemplateWriter.save(name: name, folder: folder, text: text)
            loadTemplates()
            send(.status("saved template \(name) to \(path) (e in its form edits it)"))
        } catch {
            send(.status("not saved: \(error)"))
        }
    }

    // MARK: Tool loops

    /// A template with tools: start its MCP servers, then run the loop; questions come back to
    /// the screen as overlays.
    private func sendWithTools(_ rendered: RenderedTemplate, mode: RunMode) async {
        guard let dispatcher = await startTools(rendered.tools, servers: rendered.mcpServers, mode: mode) else { return }
        await session.setSystem(rendered.system)
        var request = rendered.request(defaultModel: session.provider.defaultModel, history: await session.history)
        request.tools = dispatcher.specs
        await forward(await session.runLoop(request, mode: mode, dispatcher: dispatcher, stepLimit: services.config.toolStepLimit ?? 8,
                                            templateName: rendered.template, templateVariables: rendered.values))
    }

    /// A typed prompt with the tools of tools.yaml on offer (palette: "Offer the tools…").
    private func sendWithCatalogTools(_ text: String, parameters: RequestParameters, mode: RunMode) async {
        guard let dispatcher = await startTools(state.toolCatalog, servers: [], mode: mode) else { return }
        var request = await session.request(for: text, parameters: parameters)
        request.tools = (request.tools ?? []).filter { !dispatcher.specs.contains($0) } + dispatcher.specs
        await forward(await session.runLoop(request, mode: mode, dispatcher: dispatcher, stepLimit: services.config.toolStepLimit ?? 8))
    }

    /// Starts the tools' MCP servers (stopping the previous loop's) and keeps them for a replay;
    /// nil, with the waiting reply turn saying why, when they cannot start.
    private func startTools(_ tools: [ToolDefinition], servers: [String], mode: RunMode) async -> ToolDispatcher? {
        let setup: ToolSetup
        do {
            setup = try await ToolSetup.make(tools: tools, servers: servers, config: services.config)
        } catch {
            send(.sendAborted("tools: \(error)"))
            return nil
        }
        if let old = lastTools?.setup.pool { Task { await old.stopAll() } }
        lastTools = (setup, mode)
        return makeDispatcher(setup)
    }

    /// The policy is read when a call needs it, not when the loop starts, so "always allow"
    /// (or a change in the palette) applies to the rest of a running loop too.
    private func makeDispatcher(_ setup: ToolSetup) -> ToolDispatcher {
        setup.dispatcher(policy: .ask,
                         approve: { call, def in await self.approve(call, def) },
                         manual: { call, def in await self.ask(.manualResult, call, def) })
    }

    private func approve(_ call: ToolCall, _ def: ToolDefinition) async -> Bool {
        switch state.approvalPolicy {
        case .all: return true
        case .none: return false
        case .ask: return await ask(.approve, call, def) != nil
        }
    }

    private func ask(_ kind: ToolQuestion.Kind, _ call: ToolCall, _ def: ToolDefinition) async -> String? {
        await withCheckedContinuation { c in
            let q = ToolQuestion(id: RunID.make(), kind: kind, call: call, executor: ToolDispatcher.label(def.executor))
            pendingAnswers[q.id] = c
            send(.toolQuestion(q))
        }
    }

    /// Replays a loop from the step whose call got an edited result: the step's request, its
    /// reply's calls and the (edited) results make the next request of a new branch.
    private func replay(runId: String, callId: String, result: String) async {
        guard let view = state.runs.first(where: { $0.runId == runId }), let reply = view.result,
              let request = try? JSONDecoder().decode(ChatRequest.self, from: Data(view.requestJSON.utf8)),
              let (setup, mode) = lastTools else {
            // The reducer is waiting for this loop (its reply turn streams): say it never started.
            send(.sendAborted("cannot replay: that step's request or tools are no longer at hand"))
            return
        }
        let outcomes = state.trace.filter { $0.runId == runId }.compactMap(\.outcome)
        let calls = reply.toolCalls.filter { $0.type == "function" }
        let next = Session.followUp(request, reply: reply, calls: calls, outcomes: outcomes)
        let root = (try? services.log.run(id: runId))?.parentRunId ?? runId
        let session = self.session
        await session.configure(sendsCancelledReplies: sendCancelled)
        await forward(await session.runLoop(next, mode: mode, dispatcher: makeDispatcher(setup), stepLimit: services.config.toolStepLimit ?? 8,
                                            parentRunId: root, templateName: view.templateName, templateVariables: view.templateVariables))
    }

    /// The same three exports `glmwb logs export` makes, written to the current folder, after
    /// the log has written every run (it writes on its own queue).
    private func exportConversation(_ id: String) async {
        do {
            try await services.log.flush()
            let runs = try services.log.runs(limit: 10_000, conversationId: id)
            let base = try ConversationExport.write(runs, conversationId: id, folder: FileManager.default.currentDirectoryPath,
                                                    config: services.config)
            send(.status("exported \(runs.count) run(s) to \(base).md, .jsonl and .sh"))
        } catch {
            send(.status("export failed: \(error)"))
        }
    }

    // MARK: Compare

    /// Runs a comparison into the compare view; a finished one is stored in the log from the
    /// view's own collector (a comparison closed while running was cancelled and is not stored).
    private func runCompare(_ request: ChatRequest, sequential: Bool, repeats: Int) async {
        send(.compareStarted(request, sequential: sequential, repeats: repeats, at: Date()))
        for await batches in await session.compare(request, sequential: sequential, repeats: repeats) {
            send(.compare(batches))
        }
        guard case .compare(let c) = state.overlay, let stored = c.collector.stored(for: request, conversationId: session.conversationId) else { return }
        services.log.recordComparison(stored)
    }

    /// Hands a run's event batches to the main actor through the inbox.
    private func forward(_ stream: AsyncStream<[RunEvent]>) async {
        let inbox = self.inbox
        for await batch in stream {
            if inbox.add(batch) {
                DispatchQueue.main.async { MainActor.assumeIsolated { self.drainInbox() } }
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
                    guard let self, !self.quitStarted else { return }
                    self.send(.logWriteFailed(Self.describe(failure)))
                }
            }
        }
    }

    /// The failure as the status line and the log pane put it after "the run log could not be
    /// written:": the reason in words, then the file and SQLite's own words.
    static func describe(_ f: RunLog.WriteFailure) -> String {
        "\(f.reason) (\(f.path); \(f.cause))"
    }

    private func resume(_ conversationId: String) {
        do {
            let records = try services.log.runs(conversationId: conversationId)
            guard let resumed = ResumedConversation(conversationId: conversationId, records: records) else {
                send(.status("no runs in conversation \(conversationId)"))
                return
            }
            Task { [session] in await session.cancelAll() }
            retire(session)
            session = Session(provider: services.provider, transport: services.transport, log: services.log, prices: services.prices,
                              conversationId: conversationId, system: resumed.system, history: resumed.history,
                              maxEventBytes: services.maxEventBytes)
            state.system = resumed.system
            let runs = records.map { rec in
                RunState(record: rec, timeline: ((try? services.log.events(runId: rec.id)) ?? []).map {
                    TimelineEntry(seq: $0.seq, offsetMs: Double($0.offsetUs) / 1000, bytes: $0.data.utf8.count)
                })
            }
            send(.conversationLoaded(id: conversationId, turns: ConversationRebuild.turns(resumed), runs: runs))
        } catch {
            send(.status("cannot reopen \(conversationId): \(error)"))
        }
    }

    private func switchProvider(_ name: String) {
        send(.status(name == "local" ? "starting the local model (the first time takes minutes)…" : "switching to \(name)…"))
        render()
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
                let system = self.state.system
                Task { await old.close() }
                self.retire(self.session)
                self.session = next.session(system: system)
                self.send(.conversationLoaded(id: self.session.conversationId, turns: [], runs: []))
                self.send(.providerChanged(name: next.provider.name, model: next.provider.defaultModel))
                self.send(.pricing(PricingContext(providerName: next.provider.name, free: next.provider.free, prices: next.prices, servesGLM: next.provider.servesGLM)))
            } catch let e as CLIFailure {
                self.send(.status(e.message))
            } catch {
                self.send(.status("cannot switch to \(name): \(error)"))
            }
        }
    }

    private func retire(_ old: Session) {
        retired.append(old)
    }

    /// Quitting by key or by signal. The order matters: stop input, cancel every run and tool
    /// loop, wait (at most `quitGrace`) until each has ended — its terminal `.cancelled` event
    /// handed to the log — and the log has committed it, and only then restore the terminal and
    /// return. Exiting without that wait left runs `running` in the log (marked `interrupted`
    /// with no text or usage by the next start) whenever the process won the race.
    private func quit() {
        guard !quitStarted else { return }
        quitStarted = true
        watcher?.stop()
        for s in sources { s.cancel() }
        ticker?.cancel()
        for (_, c) in pendingAnswers { c.resume(returning: nil) }
        pendingAnswers = [:]
        render()
        let sessions = retired + [session]
        let services = self.services
        let pool = lastTools?.setup.pool
        Task { @MainActor in
            let settled = await Self.within(Self.quitGrace) {
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
            self.term.shutdown()
            // The screen that showed these is gone: say them where the shell will show them.
            if let f = services.log.failure {
                FileHandle.standardError.write(Data("glmwb: \(f)\n".utf8))
            }
            if !settled {
                FileHandle.standardError.write(Data("glmwb: quit before the running request was saved; the log will show it as interrupted\n".utf8))
            }
            self.finished?.resume()
            self.finished = nil
        }
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

    /// Restores the terminal on any exit path the runtime did not choose (a thrown error).
    func emergencyShutdown() { term.shutdown() }
}
