import Foundation
import Yams

/// Reads a template file into a `PromptTemplate`, checking every field as it goes; rendering
/// (placeholders, required values) is `TemplateRenderer`'s job.
public enum TemplateParser {
    static let fields = ["name", "description", "model", "temperature", "top_p", "max_tokens", "do_sample", "stop", "stream",
                         "response_format", "system", "tools", "tool_choice", "variables", "messages"]

    public static func parse(_ text: String, name: String, path: String) throws(TemplateError) -> PromptTemplate {
        let (yaml, body, bodyLine) = try split(text, name: name, path: path)
        var t = PromptTemplate(name: name, description: "", path: path, body: body)
        t.bodyLine = bodyLine
        guard let yaml else { return t }
        let f = YAMLFields(template: name, path: path, lineOffset: 1)
        let root: Node?
        root = try TemplateYAML.compose(yaml, template: name, path: path, lineOffset: 1)
        guard let root else { return t }
        for (key, value, keyNode) in try f.pairs(root, field: "front matter") {
            switch key {
            case "name": t.title = try f.string(value, field: key)
            case "description": t.description = try f.string(value, field: key)
            case "model": t.model = try f.string(value, field: key)
            case "temperature": t.temperature = try f.double(value, field: key, range: 0...1)
            case "top_p": t.topP = try f.double(value, field: key, range: 0.01...1)
            case "max_tokens": t.maxTokens = try f.int(value, field: key, range: 1...16384)
            case "do_sample": t.doSample = try f.bool(value, field: key)
            case "stream": t.stream = try f.bool(value, field: key)
            case "stop":
                let stops = try f.strings(value, field: key)
                guard (1...4).contains(stops.count) else { throw f.error(value, field: key, "stop takes 1 to 4 strings (Z.AI honours one)", fix: "write `stop: [\"###\"]`") }
                t.stop = stops
            case "response_format":
                let v = value.mapping != nil ? value["type"].flatMap(\.string) : value.string
                switch v {
                case "json_object": t.jsonMode = true
                case "text": t.jsonMode = false
                default: throw f.error(value, field: key, "unknown response format \(v.map { "\"\($0)\"" } ?? "")", fix: "use json_object or text")
                }
            case "system": t.system = try f.string(value, field: key).trimmingCharacters(in: .whitespacesAndNewlines)
            case "tools": t.tools = try ToolDeclarations.parse(value, f)
            case "tool_choice":
                let v = try f.string(value, field: key)
                guard v == "auto" || ToolDefinition.isValidName(v) else {
                    throw f.error(value, field: key, "\"\(v)\" is neither auto nor a function name", fix: "write `tool_choice: auto` or the name of one of the tools")
                }
                t.toolChoice = v
            case "variables": t.variables = try variables(value, f)
            case "messages": t.messages = try messages(value, f)
            default:
                throw f.error(keyNode, field: key, "unknown field `\(key)`", fix: "the fields are \(fields.joined(separator: ", "))")
            }
        }
        return t
    }

    /// Front matter between a first line `---` and the next line `---` (or `...`).
    static func split(_ text: String, name: String, path: String) throws(TemplateError) -> (yaml: String?, body: String, bodyLine: Int) {
        // Swift treats "\r\n" as one Character, so splitting a CRLF file on "\n" finds no lines
        // at all; read CRLF files as LF ones (which also keeps "\r" out of the prompt).
        let text = text.replacingOccurrences(of: "\r\n", with: "\n")
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        func clean(_ s: String) -> String { s.hasSuffix("\r") ? String(s.dropLast()) : s }
        guard let first = lines.first, clean(first) == "---" else {
            // No front matter: the body starts at the first non-blank line.
            let leadingBlank = lines.prefix { clean($0).trimmingCharacters(in: .whitespaces).isEmpty }.count
            return (nil, text.trimmingCharacters(in: .whitespacesAndNewlines), 1 + leadingBlank)
        }
        guard let end = lines.indices.dropFirst().first(where: { clean(lines[$0]) == "---" || clean(lines[$0]) == "..." }) else {
            throw TemplateError(template: name, path: path, line: 1, message: "the front matter starts with --- but never ends", fix: "add a line with --- after the last field")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        var bodyLines = Array(lines[(end + 1)...])
        var bodyLine = end + 2
        while let l = bodyLines.first, clean(l).trimmingCharacters(in: .whitespaces).isEmpty {
            bodyLines.removeFirst()
            bodyLine += 1
        }
        let body = bodyLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return (yaml, body, bodyLine)
    }

    private static func variables(_ node: Node, _ f: YAMLFields) throws(TemplateError) -> [TemplateVariable] {
        var out: [TemplateVariable] = []
        for (name, spec, keyNode) in try f.pairs(node, field: "variables") {
            guard isPlaceholderName(name) else {
                throw f.error(keyNode, field: "variables.\(name)", "\"\(name)\" cannot be a placeholder name", fix: "use letters, digits and _ (e.g. customer_name)")
            }
            var v = TemplateVariable(name: name)
            let field = "variables.\(name)"
            if spec.scalar != nil {
                // Shorthand `name: default value`.
                v.defaultValue = trimmingTrailingNewlines(try f.text(spec, field: field))
                out.append(v)
                continue
            }
            for (key, value, kn) in try f.pairs(spec, field: field) {
                switch key {
                case "description": v.description = try f.string(value, field: "\(field).description")
                // A `|` block keeps a final newline that would leave a blank line in the prompt.
                case "default": v.defaultValue = trimmingTrailingNewlines(try f.text(value, field: "\(field).default"))
                case "required": v.required = try f.bool(value, field: "\(field).required")
                case "choices":
                    let c = try f.strings(value, field: "\(field).choices")
                    guard !c.isEmpty else { throw f.error(value, field: "\(field).choices", "the list of choices is empty", fix: "list at least one choice, or remove `choices`") }
                    v.choices = c
                default:
                    throw f.error(kn, field: "\(field).\(key)", "unknown key `\(key)`", fix: "a variable has description, default, required and choices")
                }
            }
            if let c = v.choices, let d = v.defaultValue, !c.contains(d) {
                throw f.error(spec["default"], field: "\(field).default", "the default \"\(d)\" is not one of the choices \(c)", fix: "make the default one of the choices")
            }
            out.append(v)
        }
        return out
    }

    private static func messages(_ node: Node, _ f: YAMLFields) throws(TemplateError) -> [ChatMessage] {
        guard let seq = node.sequence else { throw f.error(node, field: "messages", "expected a list of {role, content}", fix: "write `- role: user` / `  content: …`") }
        var out: [ChatMessage] = []
        for item in seq {
            guard let roleNode = item["role"], let contentNode = item["content"] else {
                throw f.error(item, field: "messages", "each message needs role and content")
            }
            let role = try f.string(roleNode, field: "messages.role")
            guard role == "user" || role == "assistant" || role == "system" else {
                throw f.error(roleNode, field: "messages.role", "unknown role \"\(role)\"", fix: "use user, assistant or system")
            }
            out.append(ChatMessage(role: Role(rawValue: role)!, content: try f.text(contentNode, field: "messages.content").trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        return out
    }

    static func trimmingTrailingNewlines(_ s: String) -> String {
        var s = Substring(s)
        while s.last == "\n" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }

    static func isPlaceholderName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, !CharacterSet.decimalDigits.contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
    }
}

/// Templates and tools files read YAML the one way every glmwb file does (`YAMLDocument`: bounded
/// size, aliases counted as copies), with its errors as `TemplateError`s on file lines.
enum TemplateYAML {
    static func compose(_ yaml: String, template: String, path: String, lineOffset: Int) throws(TemplateError) -> Node? {
        do throws(YAMLDocument.LoadError) { return try YAMLDocument.compose(yaml, lineOffset: lineOffset) }
        catch { throw TemplateError(template: template, path: path, line: error.line, message: error.message, fix: error.fix) }
    }
}
