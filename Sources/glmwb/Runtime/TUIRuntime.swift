import Dispatch
import Foundation
import TerminalNcurses
import WorkbenchCore
import WorkbenchUI

/// The full-screen workbench's runtime. It only carries out effects: it owns the terminal, the
/// input, signal and timer sources and frame pacing (at most about 60 frames a second), turns
/// what happens into `AppEvent`s for the reducer, and hands each `Effect` to whoever performs
/// it. It never reads or writes the state: the reducer has decided everything an effect needs.
/// Every ncurses call happens here, on the main actor.
@MainActor
final class TUIRuntime {
    private var state: AppState
    private let term: NcursesTerminal
    private var host: SessionHost!
    private var files: TemplateFiles!
    private var evals: EvalHost!
    private var sources: [DispatchSourceProtocol] = []
    private var renderPending = false
    private var lastRender = ContinuousClock.now
    private let frameInterval = Duration.milliseconds(16)
    private var finished: CheckedContinuation<Void, Never>?
    /// Set once quitting has begun: input, signals and frames stop, a second quit is ignored.
    private var quitStarted = false
    /// The signal that ended the workbench, for the exit status (128 + its number).
    private(set) var endedBySignal: Int32?
    /// The terminal hung up (SIGHUP, or input at end of file): nothing more is drawn on it.
    private var hungUp = false
    /// How long quitting waits for cancelled runs to be logged before it gives up on them
    /// (they are then marked interrupted by the next start, as after a kill).
    static let quitGrace = Duration.seconds(2)

    /// `note`: said in the status line of the first frame (a start that had to fall back).
    init(
        services: Services, theme: Theme, providerOptions: ProviderOptions, budget: Decimal? = nil, note: String? = nil
    ) throws {
        CrashRestore.install(fd: STDOUT_FILENO)
        term = try NcursesTerminal(theme: theme)
        var s = AppState(width: term.width, height: term.height, providerName: services.provider.name,
                         model: providerOptions.model ?? services.provider.defaultModel, conversationId: "")
        s.now = Date()
        s.parameters.model = providerOptions.model
        s.budgetUSD = budget
        if let c = services.config.evalConfirmUSD { s.evalConfirmUSD = c }
        s.providerNames = ["zai", "local", "sim"] + services.config.providers.keys.sorted()
        s.pricing = PricingContext(providerName: services.provider.name, free: services.provider.free, prices: services.prices,
                                   servesGLM: services.provider.servesGLM)
        s.paths = UserPaths(environment: ProcessInfo.processInfo.environment, draftFile: DraftFile.path(besideLog: services.log.path))
        s.statusMessage = note
        state = s
        host = SessionHost(services: services, providerOptions: providerOptions) { [unowned self] in self.dispatch($0) }
        files = TemplateFiles { [unowned self] in self.dispatch($0) }
        evals = EvalHost { [unowned self] in self.dispatch($0) }
        state.conversationId = host.session.conversationId
    }

    /// Runs until the user quits (by key or by a terminating signal; `endedBySignal` says which).
    /// `resume`: nil, "" (open the picker), or a conversation id.
    func run(resume: String?) async {
        installSources()
        files.load()
        dispatch(.draftRestored(DraftFile.load(DraftFile.path(besideLog: host.services.log.path))))
        if let resume { execute(resume.isEmpty ? .listConversations : .resume(resume)) }
        render()
        // Test hook for the end-to-end suite: proves a crash still restores the terminal.
        if ProcessInfo.processInfo.environment["GLMWB_CRASH_TEST"] == "1" {
            DispatchQueue.main.asyncAfter(deadline: .now() + .milliseconds(300)) { fatalError("GLMWB_CRASH_TEST") }
        }
        await withCheckedContinuation { finished = $0 }
    }

    /// The one way in: the reducer changes the state, the effects are carried out, a frame is due.
    private func dispatch(_ event: AppEvent) {
        for effect in state.reduce(event) { execute(effect) }
        // The state has just let go of the previous conversation (Ctrl-N, or one reopened).
        if case .conversationLoaded = event { host.giveBackMemory() }
        setNeedsRender()
    }

    // MARK: Effects

    private func execute(_ effect: Effect) {
        switch effect {
        case .startTurn(let order): host.startTurn(order)
        case .replayLoop(let order): host.replay(order)
        case .answerTool(let id, let approved, let text): host.answer(id: id, approved: approved, text: text)
        case .cancelRun(let id): host.cancel(runId: id)
        case .cancelAll: host.cancelAll()
        case .compare(let text, let system, let parameters, let sequential, let repeats):
            host.compare(text: text, system: system, parameters: parameters, sequential: sequential, repeats: repeats)
        case .compareRequest(let request, let sequential, let repeats):
            Task { await host.runCompare(request, sequential: sequential, repeats: repeats) }
        case .storeComparison(let stored): host.store(stored)
        case .runEval(let order): evals.run(order, services: host.services)
        case .cancelEval: evals.cancel()
        case .loadEvalRuns(let ids): evals.load(ids, log: host.services.log)
        case .loadTimeline(let runId): host.loadTimeline(runId: runId)
        case .newConversation(let system): host.newConversation(system: system)
        case .listConversations: host.listConversations()
        case .resume(let id): host.resume(id)
        case .switchProvider(let name, let system): host.switchProvider(name, system: system)
        case .exportConversation(let id): host.exportConversation(id)
        case .editFile(let path): editFile(path)
        case .editCopy(let source, let copy): if let path = files.copyForEditing(source: source, copy: copy) { editFile(path) }
        case .saveTemplate(let name, let text): files.save(name: name, text: text)
        case .saveDraft(let path, let text): saveDraft(text, to: path)
        case .copy(let text): term.copyToClipboard(text)
        case .suspend: suspend()
        case .quit: quit()
        }
    }

    private func saveDraft(_ text: String, to path: String) {
        do { try DraftFile.save(text, to: path) } catch {
            dispatch(.status("the unsent prompt could not be kept in \(path): \(error.localizedDescription)"))
        }
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

    // MARK: Input, signals, the clock

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
                for e in self.term.readInput() { self.dispatch(.input(e)) }
            }
        }
        add(input)

        signal(SIGWINCH, SIG_IGN)
        let winch = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: .main)
        winch.setEventHandler { MainActor.assumeIsolated { self.resized() } }
        add(winch)

        // Terminating signals quit the way Ctrl-Q does: through the reducer, then `quit()`,
        // which cancels the runs and waits for the log to record them before letting go.
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            s.setEventHandler { MainActor.assumeIsolated { self.terminate(signal: sig) } }
            add(s)
        }
        // SIGQUIT's default action is a core dump, and the Swift runtime's backtracer catches it
        // and prints its crash banner over the screen. Under `raw()` Ctrl-\ is a key, so SIGQUIT
        // can only come from outside (`kill -QUIT`): the screen is ours, so it is ignored.
        signal(SIGQUIT, SIG_IGN)

        // The clock enters the state only here. Idle frames cost little: rows that did not
        // change are not redrawn (RowDiff).
        let clock = DispatchSource.makeTimerSource(queue: .main)
        clock.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        clock.setEventHandler { MainActor.assumeIsolated { self.dispatch(.tick(Date())) } }
        add(clock)
    }

    private func add(_ source: DispatchSourceProtocol) {
        source.resume()
        sources.append(source)
    }

    private func resized() {
        let size = term.handleResize()
        dispatch(.input(.resize(width: size.width, height: size.height)))
        render()
    }

    /// A terminating signal or a hung-up terminal: remembered for the exit status, then the
    /// same quit as the key.
    private func terminate(signal sig: Int32) {
        guard !quitStarted else { return }
        endedBySignal = sig
        if sig == SIGHUP { hungUp = true }
        dispatch(.terminate(signal: sig))
    }

    /// True when stdin is a terminal that has gone away (its other side closed).
    private static func inputHungUp() -> Bool {
        var p = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) > 0 else { return false }
        return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    // MARK: Handing the terminal to others

    /// $EDITOR gets the terminal; the sources wait, and the templates are read again after.
    private func editFile(_ path: String) {
        for s in sources { s.suspend() }
        term.pauseForExternalProgram()
        let result = ExternalEditor.edit(path)
        term.resumeAfterExternalProgram()
        for s in sources { s.resume() }
        switch result {
        case .failure(let f): dispatch(.status(f.message))
        case .success(let status): if status != 0 { dispatch(.status("the editor exited with status \(status)")) }
        }
        files.load()
        resized()
    }

    private func suspend() {
        term.suspend()
        resized()
    }

    /// Quitting by key or by signal. The order matters: stop input, then let the host cancel
    /// every run and wait (at most `quitGrace`) until the log has recorded them, and only then
    /// restore the terminal and return. Exiting without that wait left runs `running` in the
    /// log (marked `interrupted` with no text or usage by the next start).
    private func quit() {
        guard !quitStarted else { return }
        quitStarted = true
        files.stop()
        for s in sources { s.cancel() }
        render()
        let host = self.host!
        let evals = self.evals!
        Task { @MainActor in
            // A running evaluation's cells are cancelled and logged as such, within the grace.
            await withTaskGroup(of: Void.self) { g in
                g.addTask { await evals.shutdown() }
                g.addTask { try? await Task.sleep(for: Self.quitGrace) }
                await g.next()
                g.cancelAll()
            }
            let settled = await host.shutdown(grace: Self.quitGrace)
            self.term.shutdown()
            // The screen that showed these is gone: say them where the shell will show them.
            if let f = host.services.log.failure {
                FileHandle.standardError.write(Data("glmwb: \(f)\n".utf8))
            }
            if !settled {
                FileHandle.standardError.write(Data("glmwb: quit before the running request was saved; the log will show it as interrupted\n".utf8))
            }
            self.finished?.resume()
            self.finished = nil
        }
    }

    /// Restores the terminal on any exit path the runtime did not choose (a thrown error).
    func emergencyShutdown() { term.shutdown() }
}
