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

    public init(id: String, kind: Kind, text: String, runId: String? = nil) {
        self.id = id
        self.kind = kind
        self.text = text
        self.runId = runId
    }
}
