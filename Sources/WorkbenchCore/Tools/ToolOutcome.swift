import Foundation

/// What happened to one tool call: whether it was allowed and valid, what ran, what came back,
/// and the exact text returned to the model. The trace pane, the log and `glmwb run` show it.
public struct ToolOutcome: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, Equatable {
        case ok, failed
        case timedOut = "timed_out"
        /// The approval policy (or the user) refused it; the model was told so.
        case denied
        /// The arguments broke the schema; the model was told what was wrong.
        case invalid
        /// The model called a tool nobody declared, or one without an executor.
        case noExecutor = "no_executor"
        case cancelled
    }

    public var callId: String
    public var name: String
    public var arguments: String
    public var status: Status
    /// The content of the `tool` message sent back (with `tool_call_id` = `callId`).
    public var result: String
    public var validationErrors: [String] = []
    public var stderr: String?
    public var exitStatus: Int32?
    /// The tool's own time: from taking the call to its result, minus any wait for a person.
    public var durationMs: Double = 0
    /// Time spent waiting for a person (approving the call, typing a manual result); nil when
    /// nobody was asked. Logs written before it existed have none, and their `durationMs`
    /// includes that wait.
    public var waitMs: Double?
    /// How it was answered: `command ./weather.sh`, `static`, `manual`, `mcp demo`, `none`.
    public var executor: String
    /// A remark worth seeing, e.g. "the output is not JSON".
    public var note: String?
    /// The user replaced the result before replaying the loop.
    public var edited = false

    public init(callId: String, name: String, arguments: String, status: Status, result: String, executor: String) {
        self.callId = callId
        self.name = name
        self.arguments = arguments
        self.status = status
        self.result = result
        self.executor = executor
    }

    public var isFailure: Bool { status != .ok }

    /// The result for the model when a call did not run: a JSON object naming the problem, so
    /// the model can correct itself (or tell the user) instead of guessing.
    public static func errorResult(_ message: String, details: [String] = []) -> String {
        var o: [String: JSONValue] = ["error": .string(message)]
        if !details.isEmpty { o["details"] = .array(details.map(JSONValue.string)) }
        return JSONValue.object(o).canonicalText
    }

    /// `▸ get_weather(city: "Paris") → ok 12 ms`: the one line the trace and the CLI print.
    public var line: String {
        "▸ \(name)(\(Self.compactArguments(arguments))) → " + verdict
    }

    /// `ok 12 ms`, `timed out 30.00 s`, `ok 12 ms (waited 4.20 s for you)`: how the call ended,
    /// how long the tool took, and how long it waited for a person, apart.
    public var verdict: String {
        status.rawValue.replacingOccurrences(of: "_", with: " ") + " " + RunSummary.formatMs(durationMs)
            + (waitMs.map { " (waited \(RunSummary.formatMs($0)) for you)" } ?? "")
    }

    /// `{"city":"Paris","days":2}` as `city: "Paris", days: 2`.
    public static func compactArguments(_ text: String) -> String {
        guard let o = JSONValue.parse(text)?.objectValue else { return text }
        return o.keys.sorted().map { "\($0): \(o[$0]!.canonicalText)" }.joined(separator: ", ")
    }

}

/// Why a tool loop stopped.
public enum ToolLoopEnd: Sendable, Equatable {
    /// The model answered without tool calls after `steps` requests.
    case answered(steps: Int)
    /// The step limit was reached while the model still wanted tools.
    case stepLimit(Int)
    /// A step failed or was cancelled; the loop stops there.
    case stopped(RunStatus)

    public var summary: String {
        switch self {
        case .answered(let n): return "tool loop finished after \(n) requests"
        case .stepLimit(let n): return "tool loop stopped at the step limit (\(n) requests) while the model still asked for tools"
        case .stopped(let s): return "tool loop stopped: the last request \(s == .cancelled ? "was cancelled" : "ended \(s.rawValue)")"
        }
    }
}
