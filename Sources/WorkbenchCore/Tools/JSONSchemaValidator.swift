import Foundation

/// Checks a tool call's arguments against the function's JSON Schema before anything runs.
/// It covers the subset function schemas use in practice — type (and type lists), properties,
/// required, additionalProperties, enum, const, pattern, min/max length, minimum/maximum,
/// items, min/max items, anyOf/oneOf/allOf — and reports every problem with its path
/// (`$.city: expected string, got number`), so the trace shows exactly what the model got wrong.
public enum JSONSchemaValidator {
    public static func validate(_ value: JSONValue, against schema: JSONValue) -> [String] {
        var out: [String] = []
        check(value, schema, path: "$", into: &out)
        return out
    }

    /// Parses the arguments string first: a model can produce text that is not JSON at all.
    public static func validate(arguments: String, against schema: JSONValue?) -> [String] {
        let trimmed = arguments.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = trimmed.isEmpty ? .object([:]) : JSONValue.parse(trimmed) else {
            return ["the arguments are not valid JSON: \(arguments.prefix(120))"]
        }
        guard case .object = value else { return ["the arguments must be a JSON object, got \(typeName(value))"] }
        guard let schema else { return [] }
        return validate(value, against: schema)
    }

    static func check(_ v: JSONValue, _ s: JSONValue, path: String, into out: inout [String]) {
        guard case .object(let schema) = s else { return }
        if let t = schema["type"] {
            let allowed = t.arrayValue?.compactMap(\.stringValue) ?? [t.stringValue].compactMap { $0 }
            if !allowed.isEmpty, !allowed.contains(where: { matches(v, type: $0) }) {
                out.append("\(path): expected \(allowed.joined(separator: " or ")), got \(typeName(v))")
                return
            }
        }
        if let e = schema["enum"]?.arrayValue, !e.contains(v) {
            out.append("\(path): \(v.canonicalText) is not one of \(JSONValue.array(e).canonicalText)")
        }
        if let c = schema["const"], c != v { out.append("\(path): must be \(c.canonicalText)") }
        switch v {
        case .string(let str):
            if let p = schema["pattern"]?.stringValue {
                if let re = try? NSRegularExpression(pattern: p) {
                    switch BoundedRegex.firstMatch(re, in: str) {
                    case .match: break
                    case .none: out.append("\(path): \"\(str)\" does not match the pattern \(p)")
                    case .timedOut:
                        // Not a pass: the value was not checked. The model sees why and can retry.
                        let limit = Int(BoundedRegex.budget)
                        out.append("\(path): the pattern \(p) ran over \(limit) s (it backtracks); not accepted")
                    }
                } else {
                    // A schema from an MCP server is not checked when declared; say so, never pass silently.
                    out.append("\(path): the tool's schema has a pattern that is not a valid regular expression: \(p)")
                }
            }
            if let n = number(schema["minLength"]), Double(str.count) < n { out.append("\(path): shorter than \(Int(clamping: n)) characters") }
            if let n = number(schema["maxLength"]), Double(str.count) > n { out.append("\(path): longer than \(Int(clamping: n)) characters") }
        case .number(let d):
            if let n = number(schema["minimum"]), d < n { out.append("\(path): \(fmt(d)) is below the minimum \(fmt(n))") }
            if let n = number(schema["maximum"]), d > n { out.append("\(path): \(fmt(d)) is above the maximum \(fmt(n))") }
            if let n = number(schema["exclusiveMinimum"]), d <= n { out.append("\(path): \(fmt(d)) must be above \(fmt(n))") }
            if let n = number(schema["exclusiveMaximum"]), d >= n { out.append("\(path): \(fmt(d)) must be below \(fmt(n))") }
        case .array(let items):
            if let n = number(schema["minItems"]), Double(items.count) < n { out.append("\(path): fewer than \(Int(clamping: n)) items") }
            if let n = number(schema["maxItems"]), Double(items.count) > n { out.append("\(path): more than \(Int(clamping: n)) items") }
            if let itemSchema = schema["items"] {
                for (i, item) in items.enumerated() { check(item, itemSchema, path: "\(path)[\(i)]", into: &out) }
            }
        case .object(let o):
            let props = schema["properties"]?.objectValue ?? [:]
            for r in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where o[r] == nil {
                out.append("\(path): missing required property \"\(r)\"")
            }
            for (k, value) in o.sorted(by: { $0.key < $1.key }) {
                if let ps = props[k] {
                    check(value, ps, path: "\(path).\(k)", into: &out)
                } else if let extra = schema["additionalProperties"] {
                    if extra == .bool(false) { out.append("\(path): unexpected property \"\(k)\"") }
                    else { check(value, extra, path: "\(path).\(k)", into: &out) }
                }
            }
        default:
            break
        }
        if let all = schema["allOf"]?.arrayValue {
            for sub in all { check(v, sub, path: path, into: &out) }
        }
        for key in ["anyOf", "oneOf"] {
            guard let alternatives = schema[key]?.arrayValue, !alternatives.isEmpty else { continue }
            let passing = alternatives.filter { sub in
                var e: [String] = []
                check(v, sub, path: path, into: &e)
                return e.isEmpty
            }.count
            if passing == 0 { out.append("\(path): matches none of the \(key) alternatives") }
            if key == "oneOf", passing > 1 { out.append("\(path): matches \(passing) of the oneOf alternatives, expected exactly one") }
        }
    }

    /// The `pattern`s of a schema that are not valid regular expressions, with their paths, so a
    /// declaration can be refused where it is written.
    public static func invalidPatterns(in schema: JSONValue, path: String = "$") -> [String] {
        switch schema {
        case .object(let o):
            var out: [String] = []
            if let p = o["pattern"]?.stringValue, (try? NSRegularExpression(pattern: p)) == nil { out.append("\(path): \(p)") }
            for (k, v) in o.sorted(by: { $0.key < $1.key }) where k != "pattern" { out += invalidPatterns(in: v, path: path + "." + k) }
            return out
        case .array(let a):
            return a.enumerated().flatMap { invalidPatterns(in: $0.element, path: "\(path)[\($0.offset)]") }
        default:
            return []
        }
    }

    static func matches(_ v: JSONValue, type: String) -> Bool {
        switch (type, v) {
        case ("string", .string), ("boolean", .bool), ("null", .null), ("array", .array), ("object", .object), ("number", .number): return true
        case ("integer", .number(let d)): return d == d.rounded() && abs(d) < 9e15
        default: return false
        }
    }

    static func typeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let d): return d == d.rounded() ? "integer" : "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    private static func number(_ v: JSONValue?) -> Double? {
        if case .number(let d)? = v { return d }
        return nil
    }

    private static func fmt(_ d: Double) -> String { JSONValue.number(d).canonicalText }
}
