import Foundation
import Yams

/// Reads typed values out of config.yaml's composed nodes. Every refusal names the file, the
/// line (from the node's mark), the key path and the fix, because a config error stops every
/// command and the user must be able to mend it without reading the source.
struct ConfigFields {
    let file: String

    func error(_ node: Node?, _ path: String, _ message: String, fix: String? = nil) -> WorkbenchConfig.ConfigError {
        WorkbenchConfig.ConfigError(file: file, line: node?.mark?.line, message: "\(path): \(message)" + (fix.map { "; fix: \($0)" } ?? ""))
    }

    /// A mapping's pairs in file order, refusing any key not in `known`. `api_key` gets its own
    /// refusal (where keys come from instead), and `<<` says merge keys are not read.
    func pairs(_ node: Node, _ path: String, known: [String], keyRefusal: String? = nil) throws(WorkbenchConfig.ConfigError) -> [(key: String, value: Node, keyNode: Node)] {
        guard let m = node.mapping else {
            throw error(node, path, "expected a mapping (key: value lines), got \(describe(node))", fix: "write the keys under \(path.isEmpty ? "the top level" : path) indented, one per line")
        }
        var out: [(key: String, value: Node, keyNode: Node)] = []
        for (k, v) in m {
            guard k.scalar != nil, let key = k.string else { throw error(k, path, "keys must be plain names, not \(describe(k))") }
            let full = path.isEmpty ? key : "\(path).\(key)"
            if key == "api_key", let keyRefusal {
                throw error(k, full, "a key is not read from the config file", fix: keyRefusal)
            }
            guard known.contains(key) else {
                if key == "<<" { throw error(k, full, "merge keys are not supported", fix: "write the keys out in full") }
                throw error(k, full, "unknown key (known: \(known.joined(separator: ", ")))", fix: "correct the spelling or remove the line")
            }
            out.append((key, v, k))
        }
        return out
    }

    func string(_ node: Node, _ path: String, fix: String? = nil) throws(WorkbenchConfig.ConfigError) -> String {
        guard node.scalar != nil, node.tagName == .str, let s = node.string, !s.isEmpty else {
            throw error(node, path, "expected text, got \(describe(node))", fix: fix ?? "write `\(last(path)): some text` (quote it if it looks like a number)")
        }
        return s
    }

    func bool(_ node: Node, _ path: String) throws(WorkbenchConfig.ConfigError) -> Bool {
        guard node.tagName == .bool, let b = node.bool else { throw error(node, path, "expected true or false, got \(describe(node))", fix: "write `\(last(path)): true` or `false`") }
        return b
    }

    func int(_ node: Node, _ path: String, range: ClosedRange<Int>) throws(WorkbenchConfig.ConfigError) -> Int {
        let fix = "use a whole number in \(range.lowerBound)…\(range.upperBound)"
        guard node.scalar != nil, node.tagName == .int, let v = node.int else {
            throw error(node, path, "expected a whole number, got \(describe(node))", fix: fix)
        }
        guard range.contains(v) else { throw error(node, path, "\(v) is outside \(range.lowerBound)…\(range.upperBound)", fix: fix) }
        return v
    }

    /// A finite number in `range`: `.nan` and `.inf` are YAML floats and would otherwise pass a
    /// `> 0` check (NaN compares false both ways) and trap where they are converted.
    func double(_ node: Node, _ path: String, range: ClosedRange<Double>, unit: String) throws(WorkbenchConfig.ConfigError) -> Double {
        let fix = "use a number of \(unit) in \(fmt(range.lowerBound))…\(fmt(range.upperBound))"
        guard node.scalar != nil, node.tagName == .int || node.tagName == .float, let v = node.float else {
            throw error(node, path, "expected a number, got \(describe(node))", fix: fix)
        }
        guard v.isFinite, range.contains(v) else { throw error(node, path, "\(node.string ?? "") is outside \(fmt(range.lowerBound))…\(fmt(range.upperBound))", fix: fix) }
        return v
    }

    /// Money as `Decimal`, read from the text as written (`0.1` stays 0.1, not 0.1000000000000000055).
    func decimal(_ node: Node, _ path: String, range: ClosedRange<Double>, unit: String) throws(WorkbenchConfig.ConfigError) -> Decimal {
        let v = try double(node, path, range: range, unit: unit)
        let text = node.string ?? ""
        if text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
           let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) { return d }
        return Decimal(v)
    }

    /// A command: a line run by `/bin/sh -c`, or an argv list run directly.
    func argv(_ node: Node, _ path: String) throws(WorkbenchConfig.ConfigError) -> [String] {
        let fix = "write `\(last(path)): pass show zai` or `\(last(path)): [program, arg…]`"
        if node.scalar != nil {
            guard node.tagName == .str, let s = node.string, !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw error(node, path, "expected a command line or an argv list, got \(describe(node))", fix: fix)
            }
            return ["/bin/sh", "-c", s]
        }
        guard let seq = node.sequence, !seq.isEmpty else { throw error(node, path, "expected a command line or a non-empty argv list, got \(describe(node))", fix: fix) }
        var out: [String] = []
        for item in seq {
            guard item.scalar != nil, item.tagName != .null, let s = item.string else { throw error(item, path, "each argument must be a single value, got \(describe(item))", fix: fix) }
            out.append(s)
        }
        guard !out[0].isEmpty else { throw error(seq.first, path, "the program name is empty", fix: fix) }
        return out
    }

    /// A mapping of names to single values (headers, environment variables), taken as text.
    func stringMap(_ node: Node, _ path: String) throws(WorkbenchConfig.ConfigError) -> [(key: String, value: String, keyNode: Node)] {
        guard let m = node.mapping else { throw error(node, path, "expected a mapping of name: value, got \(describe(node))", fix: "write `\(last(path)): {NAME: value}`") }
        var out: [(key: String, value: String, keyNode: Node)] = []
        for (k, v) in m {
            guard k.scalar != nil, let key = k.string, !key.isEmpty else { throw error(k, path, "names must be plain text, not \(describe(k))") }
            guard v.scalar != nil, v.tagName != .null, let value = v.string else {
                throw error(v, "\(path).\(key)", "expected a single value, got \(describe(v))", fix: "quote the value: `\(key): \"…\"`")
            }
            out.append((key, value, k))
        }
        return out
    }

    func describe(_ node: Node) -> String {
        if node.scalar != nil {
            if node.tagName == .null { return "nothing (null)" }
            let kind: String = switch node.tagName {
            case .int: "the number"
            case .float: "the number"
            case .bool: "the boolean"
            default: "the text"
            }
            return "\(kind) \"\(node.string ?? "")\""
        }
        return node.sequence != nil ? "a list" : "a mapping"
    }

    private func last(_ path: String) -> String { path.split(separator: ".").last.map(String.init) ?? path }
    private func fmt(_ d: Double) -> String { JSONValue.number(d).canonicalText }
}
