import Foundation

/// What an assertion looks at: one cell's finished run, as the runner (or `eval rescore`, from
/// the log) hands it over. Core never reaches back into a session or a log to evaluate.
public struct EvalObservation: Sendable, Equatable {
    /// The final text (for a tool template, the text after its loop ended).
    public var output: String
    /// Every call the model made, in order, across the whole tool loop.
    public var toolCalls: [EvalToolCall]
    public var finishReason: String?
    /// The run's own cost; for a cached cell, the cost of the run it came from (what the prompt
    /// costs, not what this evaluation paid). nil when unknown: cost checks are then unscored.
    public var costUSD: Decimal?
    /// The run's latency (request sent → last byte), in milliseconds; for a cached cell, the
    /// original run's.
    public var latencyMs: Double?
    /// Reported or estimated token counts; nil when the run has none.
    public var usage: Usage?
    /// The case's variables, given to `command` checks and judges.
    public var vars: [String: String]
    /// The case's ideal answer, given to judges.
    public var expected: String?
    /// The logged run this came from, given to `command` checks.
    public var runId: String?
    public var model: String?

    public init(output: String, toolCalls: [EvalToolCall] = [], finishReason: String? = nil, costUSD: Decimal? = nil,
                latencyMs: Double? = nil, usage: Usage? = nil, vars: [String: String] = [:], expected: String? = nil,
                runId: String? = nil, model: String? = nil) {
        self.output = output
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.costUSD = costUSD
        self.latencyMs = latencyMs
        self.usage = usage
        self.vars = vars
        self.expected = expected
        self.runId = runId
        self.model = model
    }

    /// `{output, tool_calls, vars, run}`: what a `command` check reads on stdin.
    public var commandInput: JSONValue {
        var run: [String: JSONValue] = [:]
        if let runId { run["id"] = .string(runId) }
        if let model { run["model"] = .string(model) }
        if let finishReason { run["finish_reason"] = .string(finishReason) }
        if let costUSD { run["cost_usd"] = .string(EvalDecimal.plain(costUSD)) }
        if let latencyMs { run["latency_ms"] = .number(latencyMs) }
        if let usage { run["usage"] = EvalJSONFields.usage(usage) }
        return .object([
            "output": .string(output),
            "tool_calls": .array(toolCalls.map(\.json)),
            "vars": .object(vars.mapValues(JSONValue.string)),
            "expected": expected.map(JSONValue.string) ?? .null,
            "run": .object(run),
        ])
    }
}

/// A tool call as assertions see it: the name and the arguments text exactly as the model sent it.
public struct EvalToolCall: Sendable, Equatable {
    public var name: String
    public var arguments: String

    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }

    /// The arguments parsed, or nil when the model sent text that is not JSON.
    public var parsedArguments: JSONValue? {
        let t = arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        return t.isEmpty ? .object([:]) : JSONValue.parse(t)
    }

    /// `name({"canonical":"json"})`, the form compare uses, so key order never reads as a change.
    public var canonical: String { "\(name)(\(parsedArguments?.canonicalText ?? arguments))" }

    /// `{name, arguments}` with the arguments as parsed JSON when they parse, else as text.
    public var json: JSONValue {
        .object(["name": .string(name), "arguments": parsedArguments ?? .string(arguments)])
    }
}
