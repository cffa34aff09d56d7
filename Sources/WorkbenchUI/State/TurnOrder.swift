import Foundation
import WorkbenchCore

/// Everything the runtime needs to start a turn, decided by the reducer: what to send, with
/// which system prompt and tools, in which mode, and how the conversation's history is treated.
/// The runtime carries it out without looking at the state.
public struct TurnOrder: Sendable, Equatable {
    public var input: TurnInput
    /// The conversation's system prompt for a typed prompt (a template brings its own).
    public var system: String?
    public var mode: RunMode
    /// Drop this user turn (0-based, counted in the session's history) and everything after
    /// it first: regenerate, edit and resend.
    public var rewindToUserTurn: Int?
    /// The tools on offer (a template's own, or the tools file's when the palette offers
    /// them) and the MCP servers whose tools join them; none means a plain run.
    public var tools: [ToolDefinition]
    public var mcpServers: [String]
    /// Whether cancelled and interrupted replies join the history this turn sends.
    public var sendsCancelledReplies: Bool

    public init(input: TurnInput, system: String?, mode: RunMode, rewindToUserTurn: Int? = nil,
                tools: [ToolDefinition] = [], mcpServers: [String] = [], sendsCancelledReplies: Bool = false) {
        self.input = input
        self.system = system
        self.mode = mode
        self.rewindToUserTurn = rewindToUserTurn
        self.tools = tools
        self.mcpServers = mcpServers
        self.sendsCancelledReplies = sendsCancelledReplies
    }

    /// The typed prompt, if this turn is one (tests and the status line read it).
    public var text: String? {
        if case .prompt(let t, _) = input { return t }
        return nil
    }

    public var usesTools: Bool { !tools.isEmpty || !mcpServers.isEmpty }
}

/// A tool loop to replay from an edited step, as the reducer worked it out from the run it
/// shows: the next request of the new branch (the step's request, its reply, the results with
/// the edit) and the run the branch hangs under.
public struct ReplayOrder: Sendable, Equatable {
    public var request: ChatRequest
    public var parentRunId: String
    public var mode: RunMode
    public var templateName: String?
    public var templateVariables: [String: String]?
    public var sendsCancelledReplies: Bool
}
