import Foundation
import WorkbenchCore

/// The MCP servers of one process, started on first use and stopped together at the end.
public actor MCPPool {
    private let specs: [String: MCPServerSpec]
    private var running: [String: MCPToolServer] = [:]
    /// How long a server may take to start and answer the MCP handshake.
    private let startTimeout: Duration
    /// How long a server may take to list its tools (a call's limit is its tool's `timeout`).
    let listTimeout: Duration

    public init(
        specs: [String: MCPServerSpec], startTimeout: Duration = MCPToolServer.defaultStartTimeout,
        listTimeout: Duration = MCPToolServer.defaultRequestTimeout
    ) {
        self.specs = specs
        self.startTimeout = startTimeout
        self.listTimeout = listTimeout
    }

    public func server(_ name: String) async throws -> MCPToolServer {
        if let s = running[name] { return s }
        guard let spec = specs[name] else {
            throw ToolSetupError(message: "no MCP server named \(name) in the config (mcp_servers: \(specs.keys.sorted().joined(separator: ", ")))")
        }
        let s = try await MCPToolServer.start(spec, timeout: startTimeout)
        running[name] = s
        return s
    }

    public func stopAll() async {
        for s in running.values { await s.stop() }
        running = [:]
    }
}

public struct ToolSetupError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Binds declared tools to what runs them outside Core: commands and MCP servers.
public enum ToolExecutors {
    /// Replaces `- mcp: server` entries by the tools that server lists (starting it).
    public static func expand(_ tools: [ToolDefinition], servers: [String], pool: MCPPool) async throws -> [ToolDefinition] {
        var out: [ToolDefinition] = []
        var wanted = servers
        for t in tools {
            if t.spec.type == "mcp_server", case .mcp(let s) = t.executor { wanted.append(s) } else { out.append(t) }
        }
        for name in Array(NSOrderedSet(array: wanted)) as? [String] ?? wanted {
            do {
                let listed = try await pool.server(name).tools(timeout: pool.listTimeout)
                out += listed.filter { l in !out.contains { $0.name == l.name } }
            } catch {
                throw ToolSetupError(message: "MCP server \(name): \(error)")
            }
        }
        return out
    }

    /// The dispatcher's `external`: a command gets the arguments on stdin; an MCP tool is called
    /// on its server.
    public static func external(pool: MCPPool) -> @Sendable (ToolCall, ToolDefinition) async -> ExternalToolResult {
        { call, def in
            switch def.executor {
            case .command(let argv):
                return await CommandToolRunner.run(argv: argv, input: call.function.arguments, timeout: def.timeoutSeconds)
            case .mcp(let server):
                do {
                    let s = try await pool.server(server)
                    let args = JSONValue.parse(call.function.arguments) ?? .object([:])
                    let r = try await s.call(tool: call.function.name, arguments: args, timeout: .milliseconds(Int(def.timeoutSeconds * 1000)))
                    return ExternalToolResult(output: r.text, isError: r.isError)
                } catch {
                    let text = "\(error)"
                    if text.localizedCaseInsensitiveContains("timed out") || text.localizedCaseInsensitiveContains("timeout") {
                        return ExternalToolResult(output: "", timedOut: true)
                    }
                    return ExternalToolResult(output: "", failure: "MCP server \(server): \(text)")
                }
            default:
                return ExternalToolResult(output: "", failure: "\(call.function.name) is not run outside the workbench")
            }
        }
    }
}
