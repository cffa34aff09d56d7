import Foundation
import WorkbenchCore

/// A one-line question (the name for a new template).
public struct TextPrompt: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case saveTemplate
        /// Replace a tool result and replay the loop from that step.
        case editToolResult(runId: String, callId: String)
        /// A new session budget in dollars.
        case budget
        /// A model to add as a column of the evaluation view (`m`).
        case evalModel
    }
    public var purpose: Purpose
    public var title: String
    public var text = ""
    public var error: String?

    public init(purpose: Purpose, title: String) {
        self.purpose = purpose
        self.title = title
    }
}
