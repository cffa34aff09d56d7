import Foundation
import MCP
import WorkbenchCore

#if canImport(System)
import System
#else
@preconcurrency import SystemPackage
#endif

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What one `tools/call` answered, as text for the model.
public struct MCPCallResult: Sendable, Equatable {
    public var text: String
    public var isError: Bool

    public init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}

/// Everything that can go wrong between glmwb and an MCP server. Each message names the server
/// and says what to check.
public enum MCPError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The config gives no argv.
    case emptyCommand(server: String)
    /// `argv[0]` does not exist (`searchedPath` is the PATH looked through for a bare name).
    case executableNotFound(server: String, executable: String, searchedPath: String?)
    /// `argv[0]` exists but cannot be executed.
    case notExecutable(server: String, path: String)
    /// A system call failed while starting the process.
    case spawnFailed(server: String, reason: String)
    /// The process ended. `duringHandshake` tells whether it ever answered `initialize`.
    case serverExited(server: String, status: MCPExitStatus, duringHandshake: Bool, stderr: String)
    /// The process runs but the `initialize` exchange failed.
    case handshakeFailed(server: String, reason: String, stderr: String)
    /// No answer in time; `operation` is `initialize`, `tools/list` or `tools/call <name>`.
    case timeout(server: String, operation: String, after: Duration)
    /// The server does not offer the tool (`available` is empty when unknown).
    case toolNotFound(server: String, tool: String, available: [String])
    /// Tool arguments must be a JSON object.
    case invalidArguments(server: String, tool: String, reason: String)
    /// The server answered with a JSON-RPC error.
    case serverError(server: String, operation: String, code: Int, message: String)
    /// The connection broke without the process exiting (yet).
    case connectionFailed(server: String, operation: String, reason: String)
    /// `stop()` was called.
    case stopped(server: String)

    public var server: String {
        switch self {
        case .emptyCommand(let s), .executableNotFound(let s, _, _), .notExecutable(let s, _), .spawnFailed(let s, _),
             .serverExited(let s, _, _, _), .handshakeFailed(let s, _, _), .timeout(let s, _, _), .toolNotFound(let s, _, _),
             .invalidArguments(let s, _, _), .serverError(let s, _, _, _), .connectionFailed(let s, _, _), .stopped(let s):
            return s
        }
    }

    public var description: String {
        switch self {
        case .emptyCommand(let s):
            return "MCP server '\(s)': cannot start: its command is empty (give an argv such as [\"npx\", \"-y\", \"some-mcp-server\"])"
        case .executableNotFound(let s, let exe, let path):
            if let path {
                return "MCP server '\(s)': cannot start: '\(exe)' was not found on PATH (\(path))"
            }
            return "MCP server '\(s)': cannot start: '\(exe)' does not exist"
        case .notExecutable(let s, let path):
            return "MCP server '\(s)': cannot start: '\(path)' is not an executable file"
        case .spawnFailed(let s, let reason):
            return "MCP server '\(s)': cannot start: \(reason)"
        case .serverExited(let s, let status, let handshake, let stderr):
            let when = handshake ? " before completing the MCP handshake" : ""
            return "MCP server '\(s)' \(status)\(when)" + Self.stderrSuffix(stderr)
        case .handshakeFailed(let s, let reason, let stderr):
            return "MCP server '\(s)': the MCP initialize handshake failed: \(reason)" + Self.stderrSuffix(stderr)
        case .timeout(let s, let op, let after):
            return "MCP server '\(s)': \(op) timed out after \(Self.seconds(after))"
        case .toolNotFound(let s, let tool, let available):
            let offers = available.isEmpty ? "" : " (it offers: \(available.joined(separator: ", ")))"
            return "MCP server '\(s)' has no tool named '\(tool)'\(offers)"
        case .invalidArguments(let s, let tool, let reason):
            return "MCP server '\(s)': arguments for '\(tool)' are invalid: \(reason)"
        case .serverError(let s, let op, let code, let message):
            return "MCP server '\(s)' answered \(op) with error \(code): \(message)"
        case .connectionFailed(let s, let op, let reason):
            return "MCP server '\(s)': \(op) failed: \(reason)"
        case .stopped(let s):
            return "MCP server '\(s)' is stopped"
        }
    }

    /// The last lines of stderr, enough to show why a server failed without flooding the screen.
    static func stderrSuffix(_ stderr: String) -> String {
        let trimmed = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return " (no stderr output)" }
        var lines = trimmed.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.count > 20 { lines = Array(lines.suffix(20)) }
        var text = lines.joined(separator: "\n")
        if text.count > 2000 { text = "…" + String(text.suffix(2000)) }
        return "; its stderr ends with:\n" + text
    }

    static func seconds(_ d: Duration) -> String {
        let s = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        return s == s.rounded() ? "\(Int(s)) s" : String(format: "%.3g s", s)
    }
}

/// One MCP server process spoken to over stdio: started from an `MCPServerSpec`, asked for its
/// tools and called, then stopped. All requests share one connection; calls may overlap.
public actor MCPToolServer {
    public nonisolated let name: String
    /// The server's process id (also its process group id).
    public nonisolated let processID: Int32

    private let spec: MCPServerSpec
    private let process: MCPChildProcess
    private let client: Client
    /// Tool names from the last `tools()`, used to reject unknown names before a round trip.
    private var knownTools: [String]?
    private var exited = false
    private var outputEnded = false
    private var stopTask: Task<Void, Never>?

    static let clientName = "glmwb"
    static let clientVersion = "1.0"

    private init(spec: MCPServerSpec, process: MCPChildProcess, client: Client) {
        self.name = spec.name
        self.spec = spec
        self.process = process
        self.client = client
        self.processID = process.pid
    }

    deinit {
        // A server dropped without stop(): do not leave the process behind.
        process.signal(SIGKILL)
    }

    // MARK: Start

    /// Starts `spec.command` (argv, never through a shell) with stdin/stdout pipes, stderr
    /// captured (the last ~8 KB go into error messages), and performs the MCP initialize
    /// handshake within `timeout`.
    /// A server launched with `npx`/`uvx` may fetch its packages on first start, and a loaded
    /// machine stretches any start: a minute, as other MCP clients allow, before giving up.
    public static let defaultStartTimeout: Duration = .seconds(60)
    /// How long a request (tools/list, a call with no limit of its own) may take.
    public static let defaultRequestTimeout: Duration = .seconds(30)

    public static func start(
        _ spec: MCPServerSpec, timeout: Duration = defaultStartTimeout
    ) async throws -> MCPToolServer {
        guard let exe = spec.command.first, !exe.isEmpty else { throw MCPError.emptyCommand(server: spec.name) }
        ignoreSIGPIPE()
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in spec.environment { environment[k] = v }

        let process: MCPChildProcess
        do {
            process = try MCPChildProcess.spawn(argv: spec.command, environment: environment)
        } catch {
            switch error {
            case .notFound(let executable, let searchedPath):
                throw MCPError.executableNotFound(server: spec.name, executable: executable, searchedPath: searchedPath)
            case .notExecutable(let path):
                throw MCPError.notExecutable(server: spec.name, path: path)
            case .system(let call, let code):
                throw MCPError.spawnFailed(server: spec.name, reason: "\(call) failed: \(String(cString: strerror(code)))")
            }
        }

        let client = Client(name: clientName, version: clientVersion)
        let server = MCPToolServer(spec: spec, process: process, client: client)
        await server.watchExit()
        let transport = await MCPPipeTransport.make(
            StdioTransport(input: FileDescriptor(rawValue: process.stdoutFD), output: FileDescriptor(rawValue: process.stdinFD)),
            onEnd: { [weak server] in Task { await server?.outputDidEnd() } })

        do {
            _ = try await mcpRace(timeout: timeout, process: process) {
                try await client.connect(transport: transport)
            }
        } catch {
            let failure = await server.handshakeFailure(error, timeout: timeout)
            await server.stop()
            throw failure
        }
        return server
    }

    /// glmwb writes to pipes whose reader may die at any moment; that must fail the write
    /// (EPIPE), not kill glmwb. Process-wide, and only when nobody installed a handler.
    private static func ignoreSIGPIPE() {
        var current = sigaction()
        if sigaction(SIGPIPE, nil, &current) == 0 {
            // SIG_DFL is the null handler.
            #if canImport(Darwin)
            let isDefault = current.__sigaction_u.__sa_handler == nil
            #else
            let isDefault = current.__sigaction_handler.sa_handler == nil
            #endif
            if isDefault { _ = signal(SIGPIPE, SIG_IGN) }
        }
    }

    private func watchExit() {
        process.onExit { [weak self] _ in
            Task { await self?.processDidExit() }
        }
    }

    /// Fails whatever is still pending at once (the SDK's client would otherwise wait for answers
    /// that cannot come) and releases the transport.
    private func processDidExit() async {
        guard !exited else { return }
        exited = true
        // Answers the server wrote just before exiting are still in the pipe: let the client
        // read up to EOF first (outputDidEnd disconnects then); a grandchild holding stdout open
        // must not keep requests waiting, though.
        let deadline = ContinuousClock.now + .milliseconds(300)
        while !outputEnded, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        await client.disconnect()
    }

    /// The server closed its stdout: nothing more can be answered.
    private func outputDidEnd() async {
        guard !outputEnded else { return }
        outputEnded = true
        await client.disconnect()
    }

    private func handshakeFailure(_ error: Error, timeout: Duration) async -> MCPError {
        switch error {
        case MCPRaceLoss.timedOut:
            return .timeout(server: name, operation: "the MCP initialize handshake", after: timeout)
        case MCPRaceLoss.processExited(let status):
            return await exitedError(status, duringHandshake: true)
        default:
            // A broken pipe or a closed stream usually means the process is on its way out.
            if let status = await process.waitForExit(upTo: .milliseconds(500)) {
                return await exitedError(status, duringHandshake: true)
            }
            await process.waitForStderrEOF(upTo: .milliseconds(100))
            let reason = outputEnded ? "the server closed its stdout" : Self.describe(error)
            return .handshakeFailed(server: name, reason: reason, stderr: process.stderrText)
        }
    }

    private func exitedError(_ status: MCPExitStatus, duringHandshake: Bool) async -> MCPError {
        await process.waitForStderrEOF(upTo: .milliseconds(300))
        return .serverExited(server: name, status: status, duringHandshake: duringHandshake, stderr: process.stderrText)
    }

    // MARK: Tools

    /// `tools/list` (all pages) → one `ToolDefinition` per tool, executed by this server.
    public func tools(timeout: Duration = defaultRequestTimeout) async throws -> [ToolDefinition] {
        var all: [Tool] = []
        var cursor: String?
        var pages = 0
        repeat {
            let request = cursor.map { ListTools.request(.init(cursor: $0)) } ?? ListTools.request(.init())
            let page = try await perform(request, operation: "tools/list", timeout: timeout)
            all += page.tools
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 100
        knownTools = all.map(\.name)
        return all.map { tool in
            ToolDefinition(
                spec: ToolSpec(function: FunctionSpec(
                    name: tool.name, description: tool.description, parameters: JSONValue(mcp: tool.inputSchema))),
                executor: .mcp(spec.name))
        }
    }

    /// `tools/call`: the content items joined into text (non-text items summarized, e.g.
    /// `[image/png, 1234 bytes]`), `isError` as the server set it. A JSON-RPC error answer, a
    /// timeout or the process's exit throw `MCPError`.
    public func call(tool: String, arguments: JSONValue, timeout: Duration = defaultRequestTimeout) async throws
        -> MCPCallResult
    {
        let args: [String: Value]?
        switch arguments {
        case .object(let o): args = o.mapValues(Value.init(json:))
        case .null: args = nil
        default:
            throw MCPError.invalidArguments(server: name, tool: tool, reason: "expected a JSON object, got \(arguments.canonicalText)")
        }
        // Names from the last listing save a round trip; a miss re-lists once, since servers may
        // add tools later (notifications/tools/list_changed is not followed).
        if let known = knownTools, !known.contains(tool) {
            _ = try await tools(timeout: timeout)
            if let known = knownTools, !known.contains(tool) {
                throw MCPError.toolNotFound(server: name, tool: tool, available: known)
            }
        }
        let operation = "tools/call '\(tool)'"
        do {
            let result = try await perform(CallTool.request(.init(name: tool, arguments: args)), operation: operation, timeout: timeout)
            return MCPCallResult(text: MCPContentText.render(result.content), isError: result.isError ?? false)
        } catch MCPError.serverError(_, _, let code, let message)
            where [-32602, -32601].contains(code) && Self.saysUnknownTool(message, tool: tool)
        {
            throw MCPError.toolNotFound(server: name, tool: tool, available: knownTools ?? [])
        }
    }

    private static func saysUnknownTool(_ message: String, tool: String) -> Bool {
        let m = message.lowercased()
        return m.contains("unknown tool") || m.contains("tool not found") || (m.contains("not found") && m.contains(tool.lowercased()))
    }

    /// Sends one request and waits for its answer, the deadline or the process's exit.
    private func perform<M: MCP.Method>(_ request: Request<M>, operation: String, timeout: Duration) async throws -> M.Result {
        if stopTask != nil { throw MCPError.stopped(server: name) }
        if let status = process.exitStatus {
            await processDidExit()
            throw await exitedError(status, duringHandshake: false)
        }
        if outputEnded { throw await brokenConnection(nil, operation: operation) }
        let context: RequestContext<M.Result>
        do {
            context = try await client.send(request)
        } catch {
            throw await mapped(error, operation: operation)
        }
        do {
            return try await mcpRace(timeout: timeout, process: process) { try await context.value }
        } catch MCPRaceLoss.timedOut {
            try? await client.cancelRequest(context.requestID, reason: "timed out after \(MCPError.seconds(timeout))")
            throw MCPError.timeout(server: name, operation: operation, after: timeout)
        } catch MCPRaceLoss.processExited(let status) {
            await processDidExit()
            throw await exitedError(status, duringHandshake: false)
        } catch is CancellationError {
            try? await client.cancelRequest(context.requestID, reason: "cancelled")
            throw CancellationError()
        } catch {
            throw await mapped(error, operation: operation)
        }
    }

    private func mapped(_ error: Error, operation: String) async -> Error {
        if stopTask != nil { return MCPError.stopped(server: name) }
        if error is MCPError || error is CancellationError { return error }
        if let sdk = error as? MCP.MCPError {
            switch sdk {
            case .connectionClosed, .transportError:
                return await brokenConnection(sdk, operation: operation)
            case .internalError(let detail) where detail == "Client disconnected" || detail == "Client connection not initialized":
                return await brokenConnection(sdk, operation: operation)
            default:
                return MCPError.serverError(server: name, operation: operation, code: sdk.code, message: Self.message(of: sdk))
            }
        }
        return MCPError.connectionFailed(server: name, operation: operation, reason: Self.describe(error))
    }

    private func brokenConnection(_ sdk: MCP.MCPError?, operation: String) async -> Error {
        if let status = await process.waitForExit(upTo: .milliseconds(500)) {
            await processDidExit()
            return await exitedError(status, duringHandshake: false)
        }
        if outputEnded || sdk == nil {
            return MCPError.connectionFailed(server: name, operation: operation, reason: "the server closed its stdout but is still running")
        }
        return MCPError.connectionFailed(server: name, operation: operation, reason: Self.describe(sdk!))
    }

    private static func message(of error: MCP.MCPError) -> String {
        switch error {
        case .parseError(let d), .invalidRequest(let d), .methodNotFound(let d), .invalidParams(let d), .internalError(let d):
            return d ?? describe(error)
        case .serverError(_, let m): return m
        default: return describe(error)
        }
    }

    private static func describe(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    }

    // MARK: Stop

    /// Disconnects and ends the process: SIGTERM to its process group, SIGKILL if it is still
    /// there after 1 s. Returns once the process has been reaped. Idempotent; concurrent callers
    /// all wait for the same shutdown.
    public func stop() async {
        if let stopTask { return await stopTask.value }
        let task = Task { await self.performStop() }
        stopTask = task
        await task.value
    }

    private func performStop() async {
        await client.disconnect()
        if process.exitStatus == nil {
            process.signal(SIGTERM)
            if await process.waitForExit(upTo: .seconds(1)) == nil {
                process.signal(SIGKILL)
                _ = await process.waitForExit()
            }
        }
        exited = true
        // The transport's read loop has ended (client disconnected) and the process is gone.
        process.closeParentFDs()
    }
}
