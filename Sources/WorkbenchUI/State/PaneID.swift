import Foundation
import WorkbenchCore

/// The panes that can take focus.
public enum PaneID: String, Sendable, CaseIterable, Equatable {
    case templates, conversation, editor, trace, log

    public var title: String {
        switch self {
        case .templates: return "Templates"
        case .conversation: return "Conversation"
        case .editor: return "Prompt"
        case .trace: return "Tool trace"
        case .log: return "Run log"
        }
    }
}
