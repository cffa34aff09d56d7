import Foundation
import Yams

/// A cases file's content as a small tree that remembers where each value was written. YAML,
/// JSONL and `--assert` strings all become this before a case or an assertion is read, so the
/// three formats share one reader and one set of error messages. Scalars keep their source text
/// (`0.001` stays "0.001"), so a cost limit is read as an exact decimal, never through a Double.
struct EvalSyntax {
    enum Value {
        /// Text as written; `kind` is what YAML or JSON resolved it to.
        case scalar(String, ScalarKind)
        case list([EvalSyntax])
        /// Pairs in file order.
        case map([Pair])
    }

    /// A mapping's entry, with the line of its key.
    struct Pair {
        var key: String
        var value: EvalSyntax
        var line: Int?
    }

    enum ScalarKind: Equatable { case string, number, bool, null }

    var value: Value
    /// 1-based file line, when the format has lines.
    var line: Int?

    init(_ value: Value, line: Int?) {
        self.value = value
        self.line = line
    }

    /// From a composed YAML node. `lineOffset` is added to libyaml's 1-based lines.
    init(yaml node: Node, lineOffset: Int = 0) {
        let line = node.mark.map { $0.line + lineOffset }
        switch node {
        case .scalar(let s):
            let kind: ScalarKind
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: kind = .null
            case .bool: kind = .bool
            case .int, .float: kind = .number
            default: kind = .string
            }
            self.init(.scalar(s.string, kind), line: line)
        case .sequence(let seq):
            self.init(.list(seq.map { EvalSyntax(yaml: $0, lineOffset: lineOffset) }), line: line)
        case .mapping(let m):
            self.init(.map(m.map { Pair(key: $0.key.string ?? "", value: EvalSyntax(yaml: $0.value, lineOffset: lineOffset), line: $0.key.mark.map { $0.line + lineOffset }) }), line: line)
        case .alias:
            self.init(.scalar("", .null), line: line)
        }
    }

    /// From parsed JSON; every value gets the one line it came from (a JSONL line).
    init(json: JSONValue, line: Int?) {
        switch json {
        case .null: self.init(.scalar("", .null), line: line)
        case .bool(let b): self.init(.scalar(b ? "true" : "false", .bool), line: line)
        // Swift prints the shortest text that reads back as the same Double: 0.001 is "0.001".
        case .number(let d): self.init(.scalar(JSONValue.number(d).canonicalText, .number), line: line)
        case .string(let s): self.init(.scalar(s, .string), line: line)
        case .array(let a): self.init(.list(a.map { EvalSyntax(json: $0, line: line) }), line: line)
        case .object(let o): self.init(.map(o.sorted { $0.key < $1.key }.map { Pair(key: $0.key, value: EvalSyntax(json: $0.value, line: line), line: line) }), line: line)
        }
    }

    var pairs: [Pair]? { if case .map(let p) = value { return p }; return nil }
    var items: [EvalSyntax]? { if case .list(let l) = value { return l }; return nil }

    /// The scalar's text and kind, nil for a list or a map.
    var scalar: (text: String, kind: ScalarKind)? { if case .scalar(let t, let k) = value { return (t, k) }; return nil }

    /// The value as JSON: for JSON Schemas, expected tool arguments and json-path values.
    var json: JSONValue {
        switch value {
        case .scalar(let text, let kind):
            switch kind {
            case .null: return .null
            case .bool: return .bool(["true", "yes", "on"].contains(text.lowercased()))
            case .number: return Double(text.replacingOccurrences(of: "_", with: "")).map(JSONValue.number) ?? .string(text)
            case .string: return .string(text)
            }
        case .list(let l): return .array(l.map(\.json))
        case .map(let p):
            var o: [String: JSONValue] = [:]
            for pair in p { o[pair.key] = pair.value.json }
            return .object(o)
        }
    }

    /// How the value reads in an error message: the text of a scalar, else "a list" / "a mapping".
    var described: String {
        switch value {
        case .scalar(let t, let k): return k == .null ? "nothing" : "\"\(t.prefix(60))\""
        case .list: return "a list"
        case .map: return "a mapping"
        }
    }
}
