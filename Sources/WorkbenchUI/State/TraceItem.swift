import Foundation
import WorkbenchCore

/// A tool call as the trace pane shows it.
public struct TraceItem: Sendable, Equatable {
    public var runId: String
    public var call: PartialToolCall
    public var userTurn: Int
    public var expanded = false
    public var arrivedMs: Double?
    /// What the call returned, once answered.
    public var outcome: ToolOutcome?
}
