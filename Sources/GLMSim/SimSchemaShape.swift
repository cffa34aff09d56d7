import Foundation
import WorkbenchCore

/// The shape of the JSON object a request asks for: from `response_format.json_schema`, or —
/// since Z.AI's JSON mode takes no schema — from the key list a prompt spells out, e.g.
/// `{"company": string|null, "status": "open"|"closed", "tags": [string]}` plus lines such as
/// `category is one of: a, b, c`.
indirect enum SimShape: Equatable, Sendable {
    case string
    case number
    case boolean
    case choice([String])
    case array(SimShape)
    case object([SimField])
    case unknown
}

struct SimField: Equatable, Sendable {
    var name: String
    var shape: SimShape
    var nullable: Bool
    var pattern: String? = nil
}

enum SimSchemaShape {
    // MARK: JSON Schema

    static func fields(schema: JSONValue) -> [SimField] {
        guard case .object(let fields) = shape(schema) else { return [] }
        return fields
    }

    /// Deeper schemas than this are not followed (a hostile request must not exhaust the stack).
    static let maxDepth = 8

    static func shape(_ schema: JSONValue, depth: Int = 0) -> SimShape {
        guard depth < maxDepth else { return .unknown }
        if let values = schema["enum"]?.arrayValue { return .choice(values.compactMap(\.stringValue)) }
        let types = schema["type"]?.arrayValue?.compactMap(\.stringValue) ?? [schema["type"]?.stringValue ?? "object"]
        switch types.first { $0 != "null" } {
        case "string": return .string
        case "number", "integer": return .number
        case "boolean": return .boolean
        case "array": return .array(schema["items"].map { shape($0, depth: depth + 1) } ?? .string)
        default:
            let props = schema["properties"]?.objectValue ?? [:]
            let required = schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let names = required + props.keys.sorted().filter { !required.contains($0) }
            return .object(
                names.map { n in
                    let p = props[n] ?? .null
                    let nullable = p["type"]?.arrayValue?.contains(.string("null")) == true
                    return SimField(
                        name: n, shape: shape(p, depth: depth + 1), nullable: nullable,
                        pattern: p["pattern"]?.stringValue)
                })
        }
    }

    // MARK: A key list in the prompt

    /// The first `{"key": …}` block of `prompt`, with the `X is one of: …` lines applied.
    static func fields(prompt: String) -> [SimField] {
        guard let open = prompt.range(of: "{\""), let block = balanced(prompt[open.lowerBound...]) else { return [] }
        guard case .object(var fields) = parse(block) else { return [] }
        for i in fields.indices {
            let pattern = "(?m)\\b\(NSRegularExpression.escapedPattern(for: fields[i].name)) is one of:\\s*([^\\n]+)"
            guard let r = prompt.range(of: pattern, options: .regularExpression) else { continue }
            let list = prompt[r].split(separator: ":", maxSplits: 1).last ?? ""
            let values = list.split(separator: ",").map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " .\"'"))
            }
            fields[i].shape = .choice(values.filter { !$0.isEmpty })
        }
        return fields
    }

    /// `{ … }` or `[ … ]` from the start of `text`, brackets balanced.
    static func balanced(_ text: Substring) -> Substring? {
        var depth = 0
        for i in text.indices {
            switch text[i] {
            case "{", "[": depth += 1
            case "}", "]":
                depth -= 1
                if depth == 0 { return text[...i] }
            default: break
            }
        }
        return nil
    }

    /// One type in the key-list notation: `string|null`, `[string]`, `{…}`, `"a"|"b"`, `boolean`.
    static func parse(_ spec: Substring, depth: Int = 0) -> SimShape {
        guard depth < maxDepth else { return .unknown }
        let s = spec.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.hasPrefix("{") {
            return .object(split(s.dropFirst().dropLast()).compactMap { field($0, depth: depth + 1) })
        }
        if s.hasPrefix("[") { return .array(parse(s.dropFirst().dropLast(), depth: depth + 1)) }
        let alternatives = s.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            $0 != "null"
        }
        if alternatives.allSatisfy({ $0.hasPrefix("\"") }), !alternatives.isEmpty {
            return .choice(alternatives.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) })
        }
        switch alternatives.first ?? "" {
        case "string": return .string
        case "number", "integer", "int", "float": return .number
        case "boolean", "bool": return .boolean
        default: return .unknown
        }
    }

    static func field(_ entry: Substring, depth: Int = 0) -> SimField? {
        let t = entry.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasPrefix("\""), let end = t.dropFirst().firstIndex(of: "\"") else { return nil }
        let name = String(t[t.index(after: t.startIndex)..<end])
        guard let colon = t[end...].firstIndex(of: ":") else { return nil }
        let spec = t[t.index(after: colon)...]
        return SimField(name: name, shape: parse(spec, depth: depth), nullable: spec.contains("null"))
    }

    /// Splits `a, b, {c, d}` at the commas outside brackets.
    static func split(_ text: Substring) -> [Substring] {
        var parts: [Substring] = []
        var depth = 0
        var start = text.startIndex
        for i in text.indices {
            switch text[i] {
            case "{", "[": depth += 1
            case "}", "]": depth -= 1
            case "," where depth == 0:
                parts.append(text[start..<i])
                start = text.index(after: i)
            default: break
            }
        }
        parts.append(text[start...])
        return parts
    }
}
