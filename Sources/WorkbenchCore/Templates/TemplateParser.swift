import Foundation
import Yams

/// Reads a template file into a `PromptTemplate`, checking every field as it goes; rendering
/// (placeholders, required values) is `TemplateRenderer`'s job.
public enum TemplateParser {
    static let fields = [
        "name", "description", "model", "temperature", "top_p", "max_tokens", "do_sample", "stop", "stream",
        "response_format", "system", "tools", "tool_choice", "variables", "messages",
        "thinking", "clear_thinking", "reasoning_effort", "tool_stream", "request_id", "user_id",
    ]

    /// The template, or its first problem (`read` has them all).
    public static func parse(_ text: String, name: String, path: String) throws(TemplateError) -> PromptTemplate {
        let r = read(text, name: name, path: path)
        if let e = r.errors.first { throw e }
        return r.template!
    }

    /// The template as far as it could be read, and every problem found, in file order: front
    /// matter (a YAML syntax error stops the YAML, not the check of the body), each unknown field,
    /// each bad value or variable declaration, each Mustache syntax error in the system prompt,
    /// the few-shot messages and the body. Placeholders the text uses without declaring them are
    /// added as variables (`declared: false`). `template` is nil only when the file cannot be
    /// split into front matter and body.
    public static func read(_ text: String, name: String, path: String) -> (template: PromptTemplate?, errors: [TemplateError]) {
        let parts: (yaml: String?, body: String, bodyLine: Int)
        do throws(TemplateError) { parts = try split(text, name: name, path: path) } catch { return (nil, [error]) }
        var t = PromptTemplate(name: name, description: "", path: path, body: parts.body)
        t.bodyLine = parts.bodyLine
        var errors: [TemplateError] = []
        func collect(_ body: () throws(TemplateError) -> Void) {
            do throws(TemplateError) { try body() } catch { errors.append(error) }
        }
        if let yaml = parts.yaml {
            var root: Node?
            collect { () throws(TemplateError) in root = try TemplateYAML.compose(yaml, template: name, path: path, lineOffset: 1) }
            if let root { frontMatter(root, into: &t, YAMLFields(template: name, path: path, lineOffset: 1), &errors) }
        }
        var texts: [(text: String, field: String, line: Int?)] = []
        if let system = t.system { texts.append((system, "system", t.systemLine)) }
        for (i, m) in t.messages.enumerated() { texts.append((m.content ?? "", "messages[\(i)]", t.messageLines.indices.contains(i) ? t.messageLines[i] : nil)) }
        texts.append((t.body, "body", t.bodyLine))
        for (text, field, line) in texts {
            let problems = MustacheTags.problems(text, firstLine: line ?? 1)
            for p in problems {
                errors.append(TemplateError(template: name, path: path, line: line == nil ? nil : p.line, field: field, message: p.message, fix: p.fix))
            }
            // What the scan does not see, the Mustache parser reports (its first error only).
            if problems.isEmpty { collect { () throws(TemplateError) in _ = try TemplateRenderer.compile(text, template: t, field: field, line: line) } }
        }
        for p in texts.flatMap({ MustacheTags.placeholders($0.text) }) {
            if let i = t.variables.firstIndex(where: { $0.name == p.name }) {
                if !t.variables[i].declared { t.variables[i].required = t.variables[i].required || p.required }
                continue
            }
            var v = TemplateVariable(name: p.name, required: p.required)
            v.declared = false
            t.variables.append(v)
        }
        errors.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        return (t, errors)
    }

    private static func frontMatter(_ root: Node, into t: inout PromptTemplate, _ f: YAMLFields, _ errors: inout [TemplateError]) {
        let fieldPairs: [(key: String, value: Node, keyNode: Node)]
        do throws(TemplateError) { fieldPairs = try f.pairs(root, field: "front matter") } catch { errors.append(error); return }
        for (key, value, keyNode) in fieldPairs {
            do throws(TemplateError) {
                switch key {
                case "name": t.title = try f.string(value, field: key)
                case "description": t.description = try f.string(value, field: key)
                case "model": t.model = try f.string(value, field: key)
                case "temperature": t.temperature = try f.double(value, field: key, range: 0...1)
                case "top_p": t.topP = try f.double(value, field: key, range: 0.01...1)
                case "max_tokens": t.maxTokens = try f.int(value, field: key, range: 1...ModelTable.largestOutput)
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
                case "system":
                    t.system = try f.string(value, field: key).trimmingCharacters(in: .whitespacesAndNewlines)
                    t.systemLine = textLine(value, f)
                case "tools": t.tools = try ToolDeclarations.parse(value, f)
                case "tool_choice":
                    let v = try f.string(value, field: key)
                    guard v == "auto" || ToolDefinition.isValidName(v) else {
                        throw f.error(value, field: key, "\"\(v)\" is neither auto nor a function name", fix: "write `tool_choice: auto` or the name of one of the tools")
                    }
                    t.toolChoice = v
                case "thinking":
                    guard let on = ThinkingSetting.parseSwitch(value.string ?? "") else {
                        throw f.error(
                            value, field: key, "expected on/off (enabled/disabled)",
                            fix: "write `thinking: on` or `thinking: off`")
                    }
                    t.thinking = on
                case "reasoning_effort":
                    let v = try f.string(value, field: key)
                    guard ThinkingSetting.efforts.contains(v) else {
                        throw f.error(
                            value, field: key, "unknown effort \"\(v)\"",
                            fix: "use one of \(ThinkingSetting.efforts.joined(separator: ", "))")
                    }
                    t.reasoningEffort = v
                case "tool_stream": t.toolStream = try f.bool(value, field: key)
                case "clear_thinking": t.clearThinking = try f.bool(value, field: key)
                case "request_id": t.requestId = try f.string(value, field: key)
                case "user_id": t.userId = try f.string(value, field: key)
                case "variables": t.variables = variables(value, f, &errors)
                case "messages": (t.messages, t.messageLines) = messages(value, f, &errors)
                default:
                    throw f.error(keyNode, field: key, "unknown field `\(key)`", fix: "the fields are \(fields.joined(separator: ", "))")
                }
            } catch {
                errors.append(error)
            }
        }
    }

    /// The file line a text value starts on: a `|` or `>` block starts on the line after its key.
    static func textLine(_ node: Node, _ f: YAMLFields) -> Int? {
        guard let mark = node.mark else { return nil }
        let block = node.scalar.map { $0.style == .literal || $0.style == .folded } ?? false
        return mark.line + f.lineOffset + (block ? 1 : 0)
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

    private static func variables(_ node: Node, _ f: YAMLFields, _ errors: inout [TemplateError]) -> [TemplateVariable] {
        var out: [TemplateVariable] = []
        let specs: [(key: String, value: Node, keyNode: Node)]
        do throws(TemplateError) { specs = try f.pairs(node, field: "variables") } catch { errors.append(error); return [] }
        for (name, spec, keyNode) in specs {
            let field = "variables.\(name)"
            guard isPlaceholderName(name) else {
                errors.append(f.error(keyNode, field: field, "\"\(name)\" cannot be a placeholder name", fix: "use letters, digits and _ (e.g. customer_name)"))
                continue
            }
            var v = TemplateVariable(name: name)
            if spec.scalar != nil {
                // Shorthand `name: default value`.
                do throws(TemplateError) { v.defaultValue = trimmingTrailingNewlines(try f.text(spec, field: field)) } catch { errors.append(error) }
                out.append(v)
                continue
            }
            let keys: [(key: String, value: Node, keyNode: Node)]
            do throws(TemplateError) { keys = try f.pairs(spec, field: field) } catch { errors.append(error); out.append(v); continue }
            for (key, value, kn) in keys {
                do throws(TemplateError) {
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
                } catch {
                    errors.append(error)
                }
            }
            if let c = v.choices, let d = v.defaultValue, !c.contains(d) {
                errors.append(f.error(spec["default"], field: "\(field).default", "the default \"\(d)\" is not one of the choices \(c)", fix: "make the default one of the choices"))
            }
            out.append(v)
        }
        return out
    }

    private static func messages(_ node: Node, _ f: YAMLFields, _ errors: inout [TemplateError]) -> ([ChatMessage], [Int?]) {
        guard let seq = node.sequence else {
            errors.append(f.error(node, field: "messages", "expected a list of {role, content}", fix: "write `- role: user` / `  content: …`"))
            return ([], [])
        }
        var out: [ChatMessage] = []
        var lines: [Int?] = []
        for item in seq {
            do throws(TemplateError) {
                guard let roleNode = item["role"], let contentNode = item["content"] else {
                    throw f.error(item, field: "messages", "each message needs role and content")
                }
                let role = try f.string(roleNode, field: "messages.role")
                guard role == "user" || role == "assistant" || role == "system" else {
                    throw f.error(roleNode, field: "messages.role", "unknown role \"\(role)\"", fix: "use user, assistant or system")
                }
                out.append(ChatMessage(role: Role(rawValue: role)!, content: try f.text(contentNode, field: "messages.content").trimmingCharacters(in: .whitespacesAndNewlines)))
                lines.append(textLine(contentNode, f))
            } catch {
                errors.append(error)
            }
        }
        return (out, lines)
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
