import Foundation
import WorkbenchCore

/// One entry of the conversation pane.
public struct Turn: Sendable, Equatable, Identifiable {
    public enum Kind: String, Sendable, Equatable { case user, assistant, note }
    public var id: String
    public var kind: Kind
    public var text: String
    /// Bumped on every change, so cached layout knows when to redo this turn.
    public var version = 0
    public var runId: String?
    public var streaming = false
    /// The mode of the run answering this turn, once it started: a non-streamed reply is not
    /// "streaming", it is waiting for its body.
    public var mode: RunMode?
    public var status: RunStatus?
    public var footer: String?
    public var error: RunError?
    public var toolCalls: [PartialToolCall] = []
    /// Whether this reply (and the prompt it answers) is in the history later requests send:
    /// decided when its run ends by `Session.keepsInHistory`, the rule the session itself
    /// applies, so the pane can say which turns the model will not see.
    public var inHistory = true
    /// What a thinking model reasoned before this reply (`reasoning_content`), kept apart from
    /// the answer: it is shown above the reply, is not part of the history, and is in the log.
    public var reasoning = ""
    /// nil: the thinking block follows the reply (open while the model thinks, closed once the
    /// answer starts); set once the user toggles it (Alt-T).
    public var thinkingOpen: Bool?

    /// Whether the thinking block shows its text now.
    public var showsThinking: Bool { thinkingOpen ?? (text.isEmpty && toolCalls.isEmpty) }

    public init(id: String, kind: Kind, text: String, runId: String? = nil) {
        self.id = id
        self.kind = kind
        self.text = text
        self.runId = runId
    }
}
