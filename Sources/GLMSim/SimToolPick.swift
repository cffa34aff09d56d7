import Foundation
import WorkbenchCore

/// Function calling by reading: the tool whose name and description share the most words with
/// the user's message is called, its required arguments taken from the message by the parameter
/// schema (a token matching the property's `pattern`, an `enum` value the text names, a number).
/// A required argument the message does not contain is asked for instead of guessed; tool
/// results that come back are answered in a sentence that quotes their fields.
enum SimToolPick {
    enum Decision: Equatable {
        case call(SimToolCall)
        case ask(String)
        case none
    }

    static func decide(tools: [SimFunctionTool], message: String) -> Decision {
        let words = SimWords.terms(message)
        let scored = tools.map { t in (t, words.intersection(SimWords.terms(name(t.name) + " " + t.description)).count)
        }
        guard let (tool, score) = scored.max(by: { $0.1 < $1.1 }), score > 0 else { return .none }
        var args: [(String, SimJSON)] = []
        let props = tool.parameters["properties"]?.objectValue ?? [:]
        for key in tool.parameters["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            let schema = props[key] ?? .null
            guard let v = argument(schema, in: message) else {
                let hint = schema["description"]?.stringValue.map { " (\($0))" } ?? ""
                return .ask("I can look that up, but I need your \(name(key))\(hint). Could you send it?")
            }
            args.append((key, v))
        }
        return .call(
            SimToolCall(id: "call_grounded_\(tool.name)", name: tool.name, arguments: SimJSON.object(args).rendered))
    }

    static func name(_ identifier: String) -> String {
        identifier.split { $0 == "_" || $0 == "-" }.joined(separator: " ")
    }

    static func argument(_ schema: JSONValue, in message: String) -> SimJSON? {
        if let values = schema["enum"]?.arrayValue?.compactMap(\.stringValue) {
            let present = SimWords.terms(message)
            return values.first { SimWords.terms($0).isSubset(of: present) }.map(SimJSON.string)
        }
        switch schema["type"]?.stringValue ?? "string" {
        case "number", "integer":
            return message.range(of: #"-?\d+(\.\d+)?"#, options: .regularExpression)
                .flatMap { Double(message[$0]) }.map { SimWords.isWhole($0) ? .int(Int($0)) : .double($0) }
        case "boolean":
            return .bool(false)
        default:
            let tokens = message.split { $0.isWhitespace || ",;!?()\"'".contains($0) }
                .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: ".:")) }
            if let pattern = schema["pattern"]?.stringValue {
                return tokens.first { $0.range(of: pattern, options: .regularExpression) != nil }.map(SimJSON.string)
            }
            // No pattern: a token with a digit (an id, a code), else the first capitalised word.
            let id = tokens.first { $0.contains(where: \.isNumber) }
            return (id ?? tokens.dropFirst().first { $0.first?.isUppercase == true }).map(SimJSON.string)
        }
    }

    /// "status shipped, carrier DHL, …": every field of a JSON result, else the text itself.
    static func answer(results: [String]) -> String {
        let parts = results.map { r -> String in
            guard let o = JSONValue.parse(r)?.objectValue else { return r }
            return o.keys.sorted().map { k in "\(name(k)) \(o[k].map(plain) ?? "")" }.joined(separator: ", ")
        }
        return "Here is what I found: \(parts.joined(separator: "; ")). Anything else I can check for you?"
    }

    static func plain(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .number(let n): return SimWords.isWhole(n) ? String(Int(n)) : String(n)
        case .bool(let b): return b ? "yes" : "no"
        case .null: return "unknown"
        case .array(let a): return a.map(plain).joined(separator: ", ")
        case .object(let o): return o.keys.sorted().map { "\(name($0)) \(plain(o[$0]!))" }.joined(separator: ", ")
        }
    }
}
