import Foundation
import WorkbenchCore

/// What happens to the app: input, run events, answers to effects.
public enum AppEvent: Sendable {
    case input(InputEvent)
    case run([RunEvent])
    /// A timer tick (about 4 per second while a run is in flight) so waiting timers advance.
    case tick
    case templatesLoaded([PromptTemplate], errors: [TemplateError])
    case toolsLoaded([ToolDefinition])
    /// The provider changed: estimates use its prices (and know whether it is free).
    case pricing(PricingContext)
    case conversationsListed([(id: String, label: String)])
    /// A conversation reopened from the log: its id, turns and runs.
    case conversationLoaded(id: String, turns: [Turn], runs: [RunState])
    case providerChanged(name: String, model: String)
    case status(String)
    /// A send could not start (its tools did not come up): the waiting reply turn says why.
    case sendAborted(String)
    /// A comparison started with this request (as built from the conversation).
    case compareStarted(ChatRequest, sequential: Bool, repeats: Int, at: Date)
    /// Events of a comparison's runs.
    case compare([CompareBatch])
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
}

/// What the app asks the runtime to do. The reducer never performs I/O itself.
public enum Effect: Sendable, Equatable {
    /// Send a user turn. `rewindToUserTurn` first drops that user turn and everything after it
    /// from the conversation (regenerate, edit and resend).
    case send(text: String, system: String?, parameters: RequestParameters, mode: RunMode, rewindToUserTurn: Int?)
    case cancelRun(String)
    case newConversation
    case listConversations
    case resume(String)
    case switchProvider(String)
    case copy(String)
    /// Send a rendered template as the next user turn.
    case sendTemplate(RenderedTemplate, mode: RunMode)
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
    /// Replay a tool loop from the step whose call `callId` now returns `result`.
    case replayTool(runId: String, callId: String, result: String)
    /// Compare a new prompt, sent after this conversation, streamed and non-streamed.
    case compare(text: String, system: String?, parameters: RequestParameters, sequential: Bool, repeats: Int)
    /// Rerun a comparison with this exact request.
    case compareRequest(ChatRequest, sequential: Bool, repeats: Int)
    /// Write the conversation's Markdown, JSONL and curl exports next to the user.
    case exportConversation(String)
    /// Stop a tool loop (all runs of the session).
    case cancelAll
    /// Whether cancelled and interrupted replies join the history later requests send; applies
    /// to this conversation's session and every one started after it.
    case sendCancelledReplies(Bool)
    case suspend
    case quit
}
