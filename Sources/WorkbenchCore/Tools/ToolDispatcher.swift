import Foundation

/// Whether a call may run: ask each time (the default for `command` and `mcp`), always, never.
public enum ApprovalPolicy: String, Sendable, CaseIterable, Equatable {
    case ask, all, none
}

/// What an executor outside Core (a command, an MCP server) reported.
public struct ExternalToolResult: Sendable, Equatable {
    public var output: String
    public var stderr: String?
    public var exitStatus: Int32?
    public var timedOut = false
    /// It could not run at all (program not found, server down).
    public var failure: String?
    /// The executor itself flagged an error (non-zero exit, MCP isError).
    public var isError = false

    public init(output: String, stderr: String? = nil, exitStatus: Int32? = nil, timedOut: Bool = false, failure: String? = nil, isError: Bool = false) {
        self.output = output
        self.stderr = stderr
        self.exitStatus = exitStatus
        self.timedOut = timedOut
        self.failure = failure
        self.isError = isError
    }
}

/// Answers a reply's tool calls: validates the arguments, applies the approval policy, runs the
/// executor and turns every outcome — good or bad — into the text the model gets back.
/// Front ends supply how to ask (approval, manual results) and how to run commands and MCP tools.
public struct ToolDispatcher: Sendable {
    public var tools: [ToolDefinition]
    public var policy: ApprovalPolicy
    /// Invalid arguments go back to the model as an error result (the default) instead of running.
    public var rejectInvalidArguments = true
    public var approve: @Sendable (ToolCall, ToolDefinition) async -> Bool
    /// nil: the user gave no result (cancelled).
    public var manual: @Sendable (ToolCall, ToolDefinition) async -> String?
    public var external: @Sendable (ToolCall, ToolDefinition) async -> ExternalToolResult

    public init(tools: [ToolDefinition], policy: ApprovalPolicy = .ask,
                approve: @escaping @Sendable (ToolCall, ToolDefinition) async -> Bool = { _, _ in false },
                manual: @escaping @Sendable (ToolCall, ToolDefinition) async -> String? = { _, _ in nil },
                external: @escaping @Sendable (ToolCall, ToolDefinition) async -> ExternalToolResult = { _, _ in ExternalToolResult(output: "", failure: "no executor for commands or MCP in this front end") }) {
        self.tools = tools
        self.policy = policy
        self.approve = approve
        self.manual = manual
        self.external = external
    }

    /// The specs to offer the model.
    public var specs: [ToolSpec] { tools.map(\.spec) }

    /// All calls of one reply, concurrently; outcomes in the order of the calls.
    public func run(_ calls: [ToolCall]) async -> [ToolOutcome] {
        await withTaskGroup(of: (Int, ToolOutcome).self) { group in
            for (i, c) in calls.enumerated() { group.addTask { (i, await self.run(c)) } }
            var out = [ToolOutcome?](repeating: nil, count: calls.count)
            for await (i, o) in group { out[i] = o }
            return out.compactMap { $0 }
        }
    }

    /// Answers one call. `durationMs` is the tool's own time; the time spent waiting for the
    /// human (an approval question, a typed result) is `waitMs`, kept apart so a slow answer
    /// never reads as a slow tool.
    public func run(_ call: ToolCall) async -> ToolOutcome {
        let start = ContinuousClock.now
        var waited = Duration.zero
        var o = await answer(call) { ask in
            let asked = ContinuousClock.now
            defer { waited += ContinuousClock.now - asked }
            return await ask()
        }
        o.durationMs = max(0, (ContinuousClock.now - start - waited).milliseconds)
        if waited > .zero { o.waitMs = waited.milliseconds }
        return o
    }

    /// `human` wraps every wait for the person at the keyboard, so it can be timed apart.
    private func answer(_ call: ToolCall, human: (() async -> HumanAnswer) async -> HumanAnswer) async -> ToolOutcome {
        let name = call.function.name
        func outcome(_ status: ToolOutcome.Status, _ result: String, _ executor: String) -> ToolOutcome {
            ToolOutcome(callId: call.id, name: name, arguments: call.function.arguments, status: status, result: result, executor: executor)
        }
        guard let def = tools.first(where: { $0.name == name && !$0.isBuiltIn }) else {
            return outcome(.noExecutor, ToolOutcome.errorResult("unknown tool \(name)", details: ["available: " + tools.map(\.name).joined(separator: ", ")]), "none")
        }
        let label = Self.label(def.executor)
        let problems = JSONSchemaValidator.validate(arguments: call.function.arguments, against: def.spec.function?.parameters)
        if !problems.isEmpty, rejectInvalidArguments {
            var o = outcome(.invalid, ToolOutcome.errorResult("the arguments do not match the schema of \(name)", details: problems), label)
            o.validationErrors = problems
            return o
        }
        var validated = outcome(.ok, "", label)
        validated.validationErrors = problems
        let needsApproval: Bool
        switch def.executor {
        case .command, .mcp: needsApproval = true
        case .fixed, .manual, .none, .server: needsApproval = false
        }
        if needsApproval {
            let allowed: Bool
            switch policy {
            case .all: allowed = true
            case .none: allowed = false
            case .ask:
                let approve = self.approve
                allowed = await human { .approved(await approve(call, def)) }.approved
            }
            guard allowed else {
                validated.status = .denied
                validated.result = ToolOutcome.errorResult("the user did not allow this call to \(name)")
                return validated
            }
        }
        if Task.isCancelled {
            validated.status = .cancelled
            validated.result = ToolOutcome.errorResult("cancelled")
            return validated
        }
        switch def.executor {
        case .fixed(let v):
            validated.result = v.stringValue ?? v.canonicalText
        case .manual:
            let manual = self.manual
            guard let text = await human({ .text(await manual(call, def)) }).text else {
                validated.status = .cancelled
                validated.result = ToolOutcome.errorResult("the user gave no result for \(name)")
                return validated
            }
            validated.result = text
        case .none, .server:
            validated.status = .noExecutor
            validated.result = ToolOutcome.errorResult("\(name) has no executor configured")
        case .command, .mcp:
            let r = await external(call, def)
            validated.stderr = r.stderr
            validated.exitStatus = r.exitStatus
            if let f = r.failure {
                validated.status = .failed
                validated.result = ToolOutcome.errorResult(f)
            } else if r.timedOut {
                validated.status = .timedOut
                validated.result = ToolOutcome.errorResult("\(name) did not finish within \(Self.seconds(def.timeoutSeconds))")
            } else if r.isError {
                validated.status = .failed
                let detail = r.output.isEmpty ? (r.stderr ?? "") : r.output
                validated.result = ToolOutcome.errorResult("\(name) failed" + (r.exitStatus.map { " (exit \($0))" } ?? ""), details: detail.isEmpty ? [] : [String(detail.suffix(2000))])
            } else {
                validated.result = r.output
            }
        }
        if validated.status == .ok, JSONValue.parse(validated.result) == nil {
            validated.note = "the result is not JSON; it is sent as text"
        }
        return validated
    }

    /// What a person answered: an approval, or a typed result (nil: none given).
    private enum HumanAnswer {
        case approved(Bool)
        case text(String?)
        var approved: Bool { if case .approved(let b) = self { return b }; return false }
        var text: String? { if case .text(let t) = self { return t }; return nil }
    }

    public static func label(_ e: ToolExecutorKind) -> String {
        switch e {
        case .command(let argv): return "command " + argv.joined(separator: " ")
        case .fixed: return "static"
        case .manual: return "manual"
        case .mcp(let s): return "mcp \(s)"
        case .none: return "none"
        case .server: return "server"
        }
    }

    static func seconds(_ s: Double) -> String { JSONValue.number(s).canonicalText + " s" }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
