import Foundation
import WorkbenchCore
import WorkbenchTools

/// The tools a run offers and how they are answered, for the CLI and the workbench alike.
struct ToolSetup {
    var tools: [ToolDefinition]
    var pool: MCPPool

    /// Expands MCP servers; a server that will not start is a usage error naming it.
    static func make(tools: [ToolDefinition], servers: [String], config: WorkbenchConfig) async throws -> ToolSetup {
        let pool = MCPPool(specs: config.mcpServers)
        do {
            return ToolSetup(tools: try await ToolExecutors.expand(tools, servers: servers, pool: pool), pool: pool)
        } catch {
            await pool.stopAll()
            throw CLIFailure.usage("\(error)")
        }
    }

    func dispatcher(policy: ApprovalPolicy,
                    approve: @escaping @Sendable (ToolCall, ToolDefinition) async -> Bool,
                    manual: @escaping @Sendable (ToolCall, ToolDefinition) async -> String?) -> ToolDispatcher {
        ToolDispatcher(tools: tools, policy: policy, approve: approve, manual: manual, external: ToolExecutors.external(pool: pool))
    }
}
