import Dispatch
import Foundation
import TerminalNcurses
import WorkbenchCore
import WorkbenchUI

/// Run events gathered off the main actor and handed over in one piece per main-queue turn, so a
/// full-speed stream never builds a queue of main-actor hops: whatever arrived since the last
/// drain is reduced at once.
final class RunInbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [RunEvent] = []
    private var scheduled = false

    /// Adds a batch; returns true when the caller should schedule a drain.
    func add(_ batch: [RunEvent]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        pending += batch
        if scheduled { return false }
        scheduled = true
        return true
    }

    func take() -> [RunEvent] {
        lock.lock()
        defer { lock.unlock() }
        scheduled = false
        let out = pending
        pending = []
        return out
    }
}

/// Lets exactly one of several racers through (the work or its deadline).
final class OnceGate: @unchecked Sendable {
    private let lock = NSLock()
    private var used = false
    func open() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if used { return false }
        used = true
        return true
    }
}

/// The full-screen workbench: owns the terminal, the state and the session, turns input and run
/// events into `AppEvent`s, performs effects, and renders at most about 60 frames a second.
/// Every ncurses call happens here, on the main actor.
@MainActor
final class TUIRuntime {
    private var state: AppState
    private let term: NcursesTerminal
    private var wb: Workbench
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

    init(workbench: Workbench, theme: Theme, providerOptions: ProviderOptions, budget: Decimal? = nil) throws {
        wb = workbench
        self.providerOptions = providerOptions
        CrashRestore.install(fd: STDOUT_FILENO)
        term = try NcursesTerminal(theme: theme)
        session = workbench.session(system: nil)
        state = AppState(width: term.width, height: term.height, providerName: workbench.provider.name,
                         model: providerOptions.model ?? workbench.provider.defaultModel, conversationId: session.conversationId)
        state.parameters.model = providerOptions.model
        state.budgetUSD = budget
        state.providerNames = ["zai", "local", "sim"] + workbench.config.providers.keys.sorted()
        state.pricing = PricingContext(providerName: workbench.provider.name, free: workbench.provider.free, prices: workbench.prices, servesGLM: workbench.provider.servesGLM)
        state.paths = UserPaths(environment: ProcessInfo.processInfo.environment, draftFile: DraftFile.path(besideLog: workbench.log.path))
    }

    /// Runs until the user quits (by key or by a terminating signal; `endedBySignal` says which).
    /// `resume`: nil, "" (open the picker), or a conversation id.
    func run(resume: String?) async {
        installSources()
        watchLog(wb.log)
        loadTemplates()
        send(.draftRestored(DraftFile.load(DraftFile.path(besideLog: wb.log.path))))
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
                    await self.forward(await session.send(text, parameters: parameters, mode: mode))
                }
            }
        case .sendTemplate(let rendered, let mode):
            let session = self.session
            let sendCancelled = self.sendCancelled
            if rendered.tools.isEmpty && rendered.mcpServers.isEmpty {
                Task {
                    await session.configure(sendsCancelledReplies: sendCancelled)
                    await self.forward(await session.send(rendered, mode: mode))
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
            session = wb.session(system: state.system)
            send(.conversationLoaded(id: session.conversationId, turns: [], runs: []))
        case .listConversations:
            do {
                let list = try wb.log.conversations()
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
        await forward(await session.runLoop(request, mode: mode, dispatcher: dispatcher, stepLimit: wb.config.toolStepLimit ?? 8,
                                            templateName: rendered.template, templateVariables: rendered.values))
    }

    /// A typed prompt with the tools of tools.yaml on offer (palette: "Offer the tools…").
    private func sendWithCatalogTools(_ text: String, parameters: RequestParameters, mode: RunMode) async {
        guard let dispatcher = await startTools(state.toolCatalog, servers: [], mode: mode) else { return }
        var request = await session.request(for: text, parameters: parameters)
        request.tools = (request.tools ?? []).filter { !dispatcher.specs.contains($0) } + dispatcher.specs
        await forward(await session.runLoop(request, mode: mode, dispatcher: dispatcher, stepLimit: wb.config.toolStepLimit ?? 8))
    }

    /// Starts the tools' MCP servers (stopping the previous loop's) and keeps them for a replay;
    /// nil, with the waiting reply turn saying why, when they cannot start.
    private func startTools(_ tools: [ToolDefinition], servers: [String], mode: RunMode) async -> ToolDispatcher? {
        let setup: ToolSetup
        do {
            setup = try await ToolSetup.make(tools: tools, servers: servers, config: wb.config)
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
        let root = (try? wb.log.run(id: runId))?.parentRunId ?? runId
        let session = self.session
        await session.configure(sendsCancelledReplies: sendCancelled)
        await forward(await session.runLoop(next, mode: mode, dispatcher: makeDispatcher(setup), stepLimit: wb.config.toolStepLimit ?? 8,
                                            parentRunId: root, templateName: view.templateName, templateVariables: view.templateVariables))
    }

    /// The same three exports `glmwb logs export` makes, written to the current folder, after
    /// the log has written every run (it writes on its own queue).
    private func exportConversation(_ id: String) async {
        do {
            try await wb.log.flush()
            let runs = try wb.log.runs(limit: 10_000, conversationId: id)
            let base = FileManager.default.currentDirectoryPath + "/glmwb-" + id
            try RunExport.markdown(runs).write(toFile: base + ".md", atomically: true, encoding: .utf8)
            try RunExport.jsonl(runs).write(toFile: base + ".jsonl", atomically: true, encoding: .utf8)
            let script = "#!/bin/sh\n# Each request of conversation \(id), as sent; keys come from the environment.\n"
                + runs.map { RunExport.curl($0, key: .forProvider($0.provider, config: wb.config)) }.joined(separator: "\n")
            try script.write(toFile: base + ".sh", atomically: true, encoding: .utf8)
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
        wb.log.recordComparison(stored)
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
            let records = try wb.log.runs(conversationId: conversationId)
            guard let last = records.last(where: { $0.status == .ok }) ?? records.last else {
                send(.status("no runs in conversation \(conversationId)"))
                return
            }
            let request = last.request
            var history = (request?.messages ?? []).filter { $0.role != .system }
            if last.status == .ok || !last.content.isEmpty {
                history.append(.assistant(last.content, toolCalls: last.decodedToolCalls.isEmpty ? nil : last.decodedToolCalls))
            }
            let system = request?.messages.first { $0.role == .system }?.content
            Task { [session] in await session.cancelAll() }
            retire(session)
            session = Session(provider: wb.provider, transport: wb.transport, log: wb.log, prices: wb.prices,
                              conversationId: conversationId, system: system, history: history, maxEventBytes: wb.maxEventBytes)
            state.system = system
            var turns: [Turn] = []
            for (i, m) in history.enumerated() {
                switch m.role {
                case .user: turns.append(Turn(id: "r\(i)-\(conversationId)", kind: .user, text: m.content ?? ""))
                case .assistant:
                    var t = Turn(id: "r\(i)-\(conversationId)", kind: .assistant, text: m.content ?? "")
                    t.toolCalls = (m.toolCalls ?? []).enumerated().map { PartialToolCall(index: $0.offset, id: $0.element.id, type: $0.element.type, name: $0.element.function.name, arguments: $0.element.function.arguments) }
                    turns.append(t)
                case .tool: turns.append(Turn(id: "r\(i)-\(conversationId)", kind: .note, text: "tool result: " + (m.content ?? "")))
                case .system: break
                }
            }
            if var lastTurn = turns.last, lastTurn.kind == .assistant {
                let r = last.result
                lastTurn.footer = RunFooter.text(r)
                lastTurn.status = r.status
                lastTurn.error = r.error
                turns[turns.count - 1] = lastTurn
            }
            let views = records.map { rec -> RunView in
                var v = RunView(runId: rec.id, mode: rec.mode, model: rec.model, provider: rec.provider, requestJSON: rec.requestJson,
                                startedAt: rec.startedAt, promptEstimate: rec.promptEstimate)
                v.result = rec.result
                v.templateName = rec.templateName
                v.templateVariables = rec.templateVars.flatMap { JSONValue.parse($0)?.objectValue?.compactMapValues(\.stringValue) }
                v.ttftMs = rec.firstTokenMs
                v.lastTokenMs = rec.lastTokenMs
                v.timeline = ((try? wb.log.events(runId: rec.id)) ?? []).map { TimelineEntry(seq: $0.seq, offsetMs: Double($0.offsetUs) / 1000, bytes: $0.data.utf8.count) }
                return v
            }
            send(.conversationLoaded(id: conversationId, turns: turns, runs: views))
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
                let next = try await Workbench.open(options, quiet: true)
                let old = self.wb
                self.wb = next
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
        let wb = self.wb
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
                try? await wb.log.flush()
            }
            // Tool servers are stopped after the loops have ended, so a loop sees its own
            // cancellation rather than a server that vanished under it.
            _ = await Self.within(.milliseconds(500)) {
                if let pool { await pool.stopAll() }
                await wb.close()
            }
            self.term.shutdown()
            // The screen that showed these is gone: say them where the shell will show them.
            if let f = wb.log.failure {
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
