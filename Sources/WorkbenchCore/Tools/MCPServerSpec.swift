/// An MCP server from the config (`mcp_servers:`): started over stdio when a tool names it.
public struct MCPServerSpec: Sendable, Equatable {
    public var name: String
    /// The argv to start; never run through a shell.
    public var command: [String]
    /// Added to glmwb's environment for the server.
    public var environment: [String: String]

    public init(name: String, command: [String], environment: [String: String] = [:]) {
        self.name = name
        self.command = command
        self.environment = environment
    }
}
