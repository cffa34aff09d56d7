import Foundation
import WorkbenchCore

/// A question a tool loop asks the user: may this call run, or what is its result.
public struct ToolQuestion: Sendable, Equatable, Identifiable {
    public enum Kind: Sendable, Equatable { case approve, manualResult }
    public var id: String
    public var kind: Kind
    public var call: ToolCall
    /// How the call would run (`command ./weather.sh`, `mcp demo`).
    public var executor: String
    public var text = ""

    public init(id: String, kind: Kind, call: ToolCall, executor: String) {
        self.id = id
        self.kind = kind
        self.call = call
        self.executor = executor
    }
}
