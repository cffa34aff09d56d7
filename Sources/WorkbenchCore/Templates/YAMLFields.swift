import Foundation
import Yams

/// Reads typed fields out of a composed YAML node while keeping each value's line, so errors in
/// templates and tools files point at the line to fix. `lineOffset` maps front-matter lines to
/// file lines.
struct YAMLFields {
    let template: String
    let path: String
    let lineOffset: Int

    func error(_ node: Node?, field: String?, _ message: String, fix: String? = nil) -> TemplateError {
        TemplateError(template: template, path: path, line: node?.mark.map { $0.line + lineOffset }, field: field, message: message, fix: fix)
    }

    /// The pairs of a mapping in file order (YAML mappings are ordered in the file; users expect
    /// variables to be asked in the order they wrote them).
    func pairs(_ node: Node, field: String) throws(TemplateError) -> [(key: String, value: Node, keyNode: Node)] {
        guard let m = node.mapping else { throw error(node, field: field, "expected a mapping (key: value lines)") }
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard let key = k.string, k.scalar != nil else { throw error(k, field: field, "keys must be plain names") }
            out.append((key, v, k))
        }
        return out.map { (key: $0.0, value: $0.1, keyNode: $0.2) }
    }

    func string(_ node: Node, field: String) throws(TemplateError) -> String {
        guard node.scalar != nil, node.tagName != .null, let s = node.string else {
            throw error(node, field: field, "expected text", fix: "write `\(field): some text`")
        }
        return s
    }

    /// A scalar of any type taken as text: `default: 3` means the string "3" in a prompt.
    func text(_ node: Node, field: String) throws(TemplateError) -> String {
        guard let s = node.scalar?.string else { throw error(node, field: field, "expected a single value, not a list or mapping") }
        return node.tagName == .null ? "" : s
    }

    func double(_ node: Node, field: String, range: ClosedRange<Double>) throws(TemplateError) -> Double {
        guard node.tagName == .int || node.tagName == .float, let v = node.float else {
            throw error(node, field: field, "expected a number, got \(describe(node))", fix: "use a number in \(fmt(range.lowerBound))–\(fmt(range.upperBound))")
        }
        guard range.contains(v) else {
            throw error(node, field: field, "\(fmt(v)) is outside \(fmt(range.lowerBound))–\(fmt(range.upperBound))", fix: "use a value in \(fmt(range.lowerBound))–\(fmt(range.upperBound))")
        }
        return v
    }

    func int(_ node: Node, field: String, range: ClosedRange<Int>) throws(TemplateError) -> Int {
        guard node.tagName == .int, let v = node.int else {
            throw error(node, field: field, "expected a whole number, got \(describe(node))", fix: "use a whole number in \(range.lowerBound)–\(range.upperBound)")
        }
        guard range.contains(v) else {
            throw error(node, field: field, "\(v) is outside \(range.lowerBound)–\(range.upperBound)", fix: "use a value in \(range.lowerBound)–\(range.upperBound)")
        }
        return v
    }

    func bool(_ node: Node, field: String) throws(TemplateError) -> Bool {
        guard node.tagName == .bool, let b = node.bool else { throw error(node, field: field, "expected true or false, got \(describe(node))") }
        return b
    }

    func strings(_ node: Node, field: String) throws(TemplateError) -> [String] {
        if node.scalar != nil { return [try text(node, field: field)] }
        guard let seq = node.sequence else { throw error(node, field: field, "expected a list of text") }
        var out: [String] = []
        for n in seq { out.append(try text(n, field: field)) }
        return out
    }

    /// YAML as JSON: for tool parameter schemas, static results and web_search options.
    func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar:
            switch node.tagName {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(node.string ?? "")
            case .int, .float: return node.float.map(JSONValue.number) ?? .string(node.string ?? "")
            default: return .string(node.string ?? "")
            }
        case .mapping(let m):
            var o: [String: JSONValue] = [:]
            for (k, v) in m { o[k.string ?? ""] = json(v) }
            return .object(o)
        case .sequence(let s):
            return .array(s.map { json($0) })
        case .alias:
            return .null
        }
    }

    private func describe(_ node: Node) -> String {
        if let s = node.scalar?.string { return "\"\(s)\"" }
        return node.sequence != nil ? "a list" : "a mapping"
    }

    /// Numbers in messages as JSON writes them: `1`, not `1.0`.
    private func fmt(_ d: Double) -> String { JSONValue.number(d).canonicalText }
}

extension Node {
    /// The resolved tag (`int`, `float`, `bool`, `null`, `str`…): plain `5` is a number,
    /// `"5"` text, as YAML defines.
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
