import Foundation

/// One check of a cell's output, as written in a cases file: `- contains: "[1]"`, or with
/// `not: true` beside it to invert it. Assertions are data; `EvalAssertionEvaluator` gives each
/// its verdict. Unlike promptfoo's `type:`/`value:` objects or its `not-` prefixes, one key names
/// the check and holds its argument, so a case reads like the list of things it demands.
public struct EvalAssertion: Sendable, Equatable {
    public var check: Check
    /// `not: true`: the assertion passes exactly when the check does not hold.
    public var negated: Bool
    /// Where it was written (nil for assertions built in code).
    public var line: Int?

    public init(_ check: Check, negated: Bool = false, line: Int? = nil) {
        self.check = check
        self.negated = negated
        self.line = line
    }

    /// What an assertion checks, with its argument.
    public enum Check: Sendable, Equatable {
        /// The whole output, character for character.
        case equals(String)
        case contains(String)
        /// Case-insensitive `contains`.
        case icontains(String)
        case notContains(String)
        case containsAny([String])
        case containsAll([String])
        case startsWith(String)
        /// An ICU regular expression searched anywhere in the output (`(?i)` for case-insensitive).
        case regex(String)
        /// Bounds on the output's length in characters (grapheme clusters); either may be absent.
        case length(min: Int?, max: Int?)
        case isJSON
        /// `source` says where the schema came from (`inline` or the file path), for reasons.
        case jsonSchema(JSONValue, source: String)
        /// A JSONPath (`$.items[0].name`) into the output parsed as JSON; with `equals`, the value
        /// found must equal it, without, something must be found.
        case jsonPath(path: String, equals: JSONValue?)
        /// Some call to `name`, whose arguments contain `arguments` (a subset, compared as JSON).
        case toolCall(name: String, arguments: JSONValue?)
        case noToolCall
        case finishReason(String)
        /// The run's cost in USD, exactly.
        case maxCost(Decimal)
        case maxLatencyMs(Double)
        /// The run's completion (output) tokens.
        case maxTokens(Int)
        /// A program run with the cell as JSON on stdin; exit 0 passes.
        case command([String])
        /// A model-graded verdict against a rubric.
        case judge(rubric: String, provider: String?, model: String?)
    }

    /// The type name as written in files and printed in results (`contains`, `json-path`, …).
    public var type: String { check.type }
}

extension EvalAssertion.Check {
    public var type: String {
        switch self {
        case .equals: return "equals"
        case .contains: return "contains"
        case .icontains: return "icontains"
        case .notContains: return "not-contains"
        case .containsAny: return "contains-any"
        case .containsAll: return "contains-all"
        case .startsWith: return "starts-with"
        case .regex: return "regex"
        case .length: return "length"
        case .isJSON: return "is-json"
        case .jsonSchema: return "json-schema"
        case .jsonPath: return "json-path"
        case .toolCall: return "tool-call"
        case .noToolCall: return "no-tool-call"
        case .finishReason: return "finish-reason"
        case .maxCost: return "max-cost"
        case .maxLatencyMs: return "max-latency-ms"
        case .maxTokens: return "max-tokens"
        case .command: return "command"
        case .judge: return "judge"
        }
    }

    /// Every type name, in the order the documentation lists them.
    public static let allTypes = ["equals", "contains", "icontains", "not-contains", "contains-any", "contains-all", "starts-with",
                                  "regex", "length", "is-json", "json-schema", "json-path", "tool-call", "no-tool-call",
                                  "finish-reason", "max-cost", "max-latency-ms", "max-tokens", "command", "judge"]
}
