import Foundation
import WorkbenchCore

/// What happens to the app: input, run events, answers to effects.
public enum AppEvent: Sendable {
    case input(InputEvent)
    case run([RunEvent])
    /// The clock, about 4 times a second: the only way time enters the state (`AppState.now`),
    /// so rendering stays a pure function of the state and waiting timers advance.
    case tick(Date)
    case templatesLoaded([PromptTemplate], errors: [TemplateError])
    case toolsLoaded([ToolDefinition])
    /// The provider changed: estimates use its prices (and know whether it is free).
    case pricing(PricingContext)
    case conversationsListed([(id: String, label: String)])
    /// A conversation started or reopened from the log: its id, system prompt, turns and runs.
    case conversationLoaded(id: String, system: String?, turns: [Turn], runs: [RunState])
    case providerChanged(name: String, model: String)
    case status(String)
    /// A send could not start (its tools did not come up): the waiting reply turn says why.
    case sendAborted(String)
    /// A comparison started with this request (as built from the conversation).
    case compareStarted(ChatRequest, sequential: Bool, repeats: Int, at: Date)
    /// Events of a comparison's runs.
    case compare([CompareBatch])
    /// Every run of the comparison of `request` has ended (or it was cancelled).
    case compareFinished(ChatRequest)
    /// The tool loop needs an answer from the user.
    case toolQuestion(ToolQuestion)
    /// A terminating signal (SIGTERM, SIGHUP, SIGINT) arrived: quit as Ctrl-Q does, so the
    /// running request is cancelled and logged before the process ends.
    case terminate(signal: Int32)
    /// The run log could not store a write (a full disk, a read-only data dir): the reply stays
    /// on screen, and the user is told at once that it is not saved.
    case logWriteFailed(String)
    /// The prompt that was left unsent when the workbench last quit (`Effect.saveDraft`).
    case draftRestored(String)
    /// The evaluation view's run was planned: its rows, columns and estimate (nothing sent yet).
    case evalPlanned(EvalPlanned)
    /// Cells of evaluation `evalId` started or finished.
    case evalCells(evalId: String, [EvalCellUpdate])
    case evalProgress(evalId: String, EvalProgress)
    /// Every cell has ended (or the run was cancelled); `logFailure` says the log lost it.
    case evalFinished(evalId: String, interrupted: Bool, logFailure: String?)
    /// The evaluation could not be planned or started (no cases file, a bad case, tools that
    /// did not come up): nothing was sent.
    case evalFailed(String)
    /// Runs read from the log for an opened cell or a row's diff.
    case evalRunsLoaded([EvalRunContent])
    /// A run's event timeline read back from the log, for the run log pane (`loadTimeline`).
    case timelineLoaded(runId: String, [TimelineEntry])
}

/// What the app asks the runtime to do. The reducer never performs I/O itself.
public enum Effect: Sendable, Equatable {
    /// Start a user turn: a typed prompt or a template, with or without tools.
    case startTurn(TurnOrder)
    case cancelRun(String)
    /// Start a new conversation with this system prompt (the current runs are cancelled).
    case newConversation(system: String?)
    case listConversations
    case resume(String)
    /// Switch to the named provider, starting a new conversation with this system prompt.
    case switchProvider(String, system: String?)
    case copy(String)
    /// Open a file in $EDITOR (the screen is suspended and restored).
    case editFile(String)
    /// Copy `source` (a shipped template) to `copy` in the user's folder unless the copy exists,
    /// then open the copy in $EDITOR: shipped files are never edited in place (after `make
    /// install` they live under PREFIX/share and an upgrade replaces them).
    case editCopy(source: String, copy: String)
    /// Keep the unsent prompt for the next start (an empty text removes the file).
    case saveDraft(path: String, text: String)
    /// Write a new template file in the user's folder.
    case saveTemplate(name: String, text: String)
    /// The user answered a tool question: approval ("yes"/"no") or a manual result (nil: none).
    case answerTool(id: String, approved: Bool, text: String?)
    /// Replay a tool loop from an edited step as a new branch.
    case replayLoop(ReplayOrder)
    /// Store a finished comparison in the log.
    case storeComparison(StoredComparison)
    /// Compare a new prompt, sent after this conversation, streamed and non-streamed.
    case compare(text: String, system: String?, parameters: RequestParameters, sequential: Bool, repeats: Int)
    /// Rerun a comparison with this exact request.
    case compareRequest(ChatRequest, sequential: Bool, repeats: Int)
    /// Write the conversation's Markdown, JSONL and curl exports next to the user.
    case exportConversation(String)
    /// Plan an evaluation and, unless its estimate needs a yes first, run it.
    case runEval(EvalOrder)
    /// Stop starting cells and cancel the running ones (finished cells stay).
    case cancelEval
    /// Read these runs from the log (an opened cell's messages and whole output).
    case loadEvalRuns([String])
    /// Read a run's event timeline (offsets and sizes) from the log for the run log pane.
    case loadTimeline(runId: String)
    /// Stop a tool loop (all runs of the session).
    case cancelAll
    case suspend
    case quit
}
