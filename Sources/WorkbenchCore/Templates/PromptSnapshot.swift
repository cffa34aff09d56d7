import Foundation
import Yams

/// The whole prompt state the workbench saves as a template (F6): the system prompt, every
/// parameter (model, sampling, max_tokens, stop, JSON mode, streaming), the tools on offer and,
/// when the last prompt came from a template, that template's text with its placeholders and
/// variables (the values last used become the defaults). Saving only the last prompt lost
/// everything else a prompt engineer had tuned.
public struct PromptSnapshot: Sendable, Equatable {
    public var description: String
    public var system: String?
    /// The user message: literal text, or a template body with placeholders (`fromTemplate`).
    public var user: String
    public var parameters: RequestParameters
    public var stream: Bool?
    /// Tools by the names `tools:` accepts: tools.yaml names, `web_search`, `mcp: server`.
    public var toolNames: [String]
    public var mcpServers: [String]
    /// Set when `user` is a template body: its variables, with the values used as defaults.
    public var variables: [TemplateVariable]?

    public init(description: String, system: String?, user: String, parameters: RequestParameters, stream: Bool? = nil,
                toolNames: [String] = [], mcpServers: [String] = [], variables: [TemplateVariable]? = nil) {
        self.description = description
        self.system = system
        self.user = user
        self.parameters = parameters
        self.stream = stream
        self.toolNames = toolNames
        self.mcpServers = mcpServers
        self.variables = variables
    }

    /// The template file's text: YAML front matter, then the user message.
    public var templateText: String {
        // Literal text must not grow placeholders: Mustache's delimiters are switched off for it
        // (`{{=<% %>=}}` on a line of its own renders as nothing). A template body keeps its own.
        let literal = "{{=<% %>=}}\n"
        let isTemplate = variables != nil
        let system = system.map { !isTemplate && $0.contains("{{") ? literal + $0 : $0 }
        let user = !isTemplate && user.contains("{{") ? literal + user : user
        var yaml = ""
        func put(_ key: String, _ value: Any) { yaml += Self.yamlLine(key, value) }
        put("description", description)
        if let m = parameters.model { put("model", m) }
        if let t = parameters.temperature { put("temperature", t) }
        if let p = parameters.topP { put("top_p", p) }
        if let m = parameters.maxTokens { put("max_tokens", m) }
        if let d = parameters.doSample { put("do_sample", d) }
        if let stop = parameters.stop, !stop.isEmpty { yaml += "stop: " + Self.flow(stop) + "\n" }
        if parameters.jsonMode { put("response_format", "json_object") }
        if let t = parameters.thinking { put("thinking", t ? "on" : "off") }
        if let c = parameters.clearThinking { put("clear_thinking", c) }
        if let e = parameters.reasoningEffort { put("reasoning_effort", e) }
        if parameters.toolStream == true { put("tool_stream", true) }
        if let r = parameters.requestId { put("request_id", r) }
        if let u = parameters.userId { put("user_id", u) }
        if let stream { put("stream", stream) }
        if let s = system, !s.isEmpty { put("system", s) }
        if !toolNames.isEmpty || !mcpServers.isEmpty {
            yaml += "tools:\n"
            for n in toolNames { yaml += "  - " + Self.scalar(n) + "\n" }
            for s in mcpServers { yaml += "  - mcp: " + Self.scalar(s) + "\n" }
        }
        if let variables, !variables.isEmpty {
            yaml += "variables:\n"
            for v in variables {
                yaml += "  " + Self.scalar(v.name) + ":\n"
                if !v.description.isEmpty { yaml += Self.indent(Self.yamlLine("description", v.description), by: 4) }
                if let d = v.defaultValue { yaml += Self.indent(Self.yamlLine("default", d), by: 4) }
                if v.required { yaml += "    required: true\n" }
                if let c = v.choices { yaml += "    choices: " + Self.flow(c) + "\n" }
            }
        }
        return "---\n" + yaml + "---\n" + user + (user.hasSuffix("\n") ? "" : "\n")
    }

    /// One `key: value` line (or a literal block for multi-line text), as people write them:
    /// numbers plainly (Yams would write 0.3 as 3e-1), text quoted only where YAML needs it.
    static func yamlLine(_ key: String, _ value: Any) -> String {
        switch value {
        case let d as Double: return "\(key): \(d)\n"
        case let i as Int: return "\(key): \(i)\n"
        case let b as Bool: return "\(key): \(b)\n"
        case let text as String where text.contains("\n") && !text.hasPrefix(" ") && !text.hasSuffix("\n"):
            let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
            return "\(key): |-\n\(body)\n"
        default:
            return (try? Yams.dump(object: [key: value], width: -1, allowUnicode: true)) ?? "\(key): \(value)\n"
        }
    }

    static func scalar(_ s: String) -> String {
        let dumped = (try? Yams.dump(object: s, width: -1, allowUnicode: true)) ?? s
        return dumped.hasSuffix("\n") ? String(dumped.dropLast()) : dumped
    }

    static func flow(_ items: [String]) -> String {
        "[" + items.map { JSONValue.string($0).canonicalText }.joined(separator: ", ") + "]"
    }

    /// Indents every non-empty line (blank lines inside a literal block stay blank).
    static func indent(_ text: String, by n: Int) -> String {
        let pad = String(repeating: " ", count: n)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n") + "\n"
    }
}
