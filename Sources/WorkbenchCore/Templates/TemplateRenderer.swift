import Foundation
import Mustache

/// A template with its variables filled: everything a request needs, before history is added.
public struct RenderedTemplate: Sendable, Equatable {
    public var template: String
    /// The values used, defaults included: what the log records as "which values produced this".
    public var values: [String: String]
    public var system: String?
    /// Few-shot turns, sent before `user`.
    public var messages: [ChatMessage]
    public var user: String
    public var parameters: RequestParameters
    /// nil: the template does not say; the caller's mode applies.
    public var stream: Bool?
    public var tools: [ToolDefinition]
    /// MCP servers whose tools the template offers (`- mcp: server`), listed when they start.
    public var mcpServers: [String] = []

    /// A template's `model:` names a GLM model; an OpenAI-compatible server (local llama.cpp,
    /// another vendor) runs its own, so there the provider's model is used instead.
    /// Z.AI's server-run tools (retrieval, web_search) mean nothing there either: they are left out.
    public func adapted(toGLMProvider glm: Bool) -> RenderedTemplate {
        var r = self
        guard !glm else { return r }
        r.parameters.model = nil
        if r.tools.contains(where: { $0.executor == .server }) {
            r.tools.removeAll { $0.executor == .server }
            r.parameters.tools = r.tools.isEmpty ? nil : r.tools.map(\.spec)
        }
        return r
    }

    /// The request exactly as it would be sent after `history` (earlier turns of a conversation).
    public func request(defaultModel: String, history: [ChatMessage] = [], stream mode: Bool? = nil) -> ChatRequest {
        var msgs: [ChatMessage] = []
        if let system, !system.isEmpty { msgs.append(.system(system)) }
        msgs += history + messages
        msgs.append(.user(user))
        var req = ChatRequest(model: parameters.model ?? defaultModel, messages: msgs)
        parameters.apply(to: &req)
        if let s = mode ?? stream, s { req.stream = true }
        return req
    }
}

/// Renders templates with Mustache (sections and escaping as Mustache defines them, no HTML
/// escaping: the output is a prompt, not a web page). Every placeholder must be a variable of the
/// template — declared, or inferred from the text by the parser — so a template built in code
/// with a typo is an error instead of a silently empty hole in the prompt.
public enum TemplateRenderer {
    /// `values` override defaults; `tools` resolves names listed in the template's `tools:`.
    public static func render(_ t: PromptTemplate, values: [String: String] = [:], tools catalog: [ToolDefinition] = [],
                              toolsPath: String = "tools.yaml") throws(TemplateError) -> RenderedTemplate {
        for k in values.keys.sorted() where t.variable(k) == nil {
            let known = t.variables.map(\.name)
            throw TemplateError(template: t.name, path: t.path, field: "variables", message: "no variable named \(k)",
                                fix: known.isEmpty ? "this template has no variables" : "use one of \(known.joined(separator: ", "))")
        }
        var effective = t.defaultValues
        for (k, v) in values { effective[k] = v }
        for v in t.variables {
            let value = effective[v.name] ?? ""
            if v.required && value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw TemplateError(template: t.name, path: t.path, field: "variables.\(v.name)", message: "the required variable \(v.name) has no value",
                                    fix: "pass --var \(v.name)=… or fill it in the form" + (v.description.isEmpty ? "" : " (\(v.description))"))
            }
            if let c = v.choices, !c.contains(value), !(value.isEmpty && !v.required) {
                throw TemplateError(template: t.name, path: t.path, field: "variables.\(v.name)", message: "\"\(value)\" is not one of the choices for \(v.name)",
                                    fix: "use one of \(c.joined(separator: ", "))")
            }
        }
        let declared = Set(t.variables.map(\.name))
        // Empty values are left out of the context so `{{#x}}…{{/x}}` means "when x is filled in".
        let context = effective.filter { !$0.value.isEmpty }
        func fill(_ text: String, field: String, line: Int?) throws(TemplateError) -> String {
            try render(text, context: context, declared: declared, template: t, field: field, line: line)
        }
        let system = try t.system.map { s throws(TemplateError) in try fill(s, field: "system", line: t.systemLine) }
        var few: [ChatMessage] = []
        for (i, m) in t.messages.enumerated() {
            var m = m
            m.content = try fill(m.content ?? "", field: "messages[\(i)]", line: t.messageLines.indices.contains(i) ? t.messageLines[i] : nil)
            few.append(m)
        }
        let user = try fill(t.body, field: "body", line: t.bodyLine)
        guard !user.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw TemplateError(template: t.name, path: t.path, line: t.bodyLine, field: "body", message: "the rendered user message is empty",
                                fix: "write the prompt below the front matter")
        }
        let defs = try resolveTools(t, catalog: catalog, toolsPath: toolsPath)
        let servers = t.tools.compactMap { ref -> String? in if case .mcpServer(let s, _) = ref { return s }; return nil }
        var p = RequestParameters()
        p.model = t.model
        p.temperature = t.temperature
        p.topP = t.topP
        p.maxTokens = t.maxTokens
        p.doSample = t.doSample
        p.stop = t.stop
        p.jsonMode = t.jsonMode
        p.tools = defs.isEmpty ? nil : defs.map(\.spec)
        p.toolChoice = t.toolChoice.map(RequestParameters.toolChoice)
        p.thinking = t.thinking
        p.clearThinking = t.clearThinking
        p.reasoningEffort = t.reasoningEffort
        p.toolStream = t.toolStream
        p.requestId = t.requestId
        p.userId = t.userId
        var rendered = RenderedTemplate(template: t.name, values: effective, system: system, messages: few, user: user,
                                        parameters: p, stream: t.stream, tools: defs)
        rendered.mcpServers = servers
        return rendered
    }

    static func resolveTools(_ t: PromptTemplate, catalog: [ToolDefinition], toolsPath: String) throws(TemplateError) -> [ToolDefinition] {
        var out: [ToolDefinition] = []
        for ref in t.tools {
            switch ref {
            case .defined(let d): out.append(d)
            case .mcpServer: continue
            case .named(let n, let line):
                guard let d = catalog.first(where: { $0.name == n && $0.spec.type != "mcp_server" }) else {
                    throw TemplateError(template: t.name, path: t.path, line: line, field: "tools", message: "the tool \(n) is not defined",
                                        fix: "define it in \(toolsPath) or inline with name, description and parameters")
                }
                out.append(d)
            }
        }
        return out
    }

    static func render(_ text: String, context: [String: String], declared: Set<String>, template t: PromptTemplate,
                       field: String, line base: Int?) throws(TemplateError) -> String {
        for tag in MustacheTags.scan(text) {
            if tag.kind == .partial {
                throw TemplateError(template: t.name, path: t.path, line: base.map { $0 + tag.line - 1 }, field: field,
                                    message: "partials ({{> \(tag.name)}}) are not supported", fix: "paste the text in place")
            }
            guard tag.kind.namesVariable, tag.name != "." else { continue }
            let root = String(tag.name.split(separator: ".").first ?? "")
            guard declared.contains(root) else {
                let known = declared.sorted()
                throw TemplateError(template: t.name, path: t.path, line: base.map { $0 + tag.line - 1 }, field: field,
                                    message: "unknown placeholder {{\(tag.name)}}",
                                    fix: "declare \(root) under variables" + (known.isEmpty ? "" : ", or use one of \(known.joined(separator: ", "))"))
            }
        }
        return try compile(text, template: t, field: field, line: base).render(context)
    }

    /// The text as a Mustache template, or its syntax error at its file line.
    static func compile(_ text: String, template t: PromptTemplate, field: String, line base: Int?) throws(TemplateError) -> MustacheTemplate {
        // A TEXT content-type pragma (Mustache's HTML escaping is for web pages) on a line of its
        // own, so it renders as nothing and a standalone tag on the text's first line stays one.
        let source = "{{% CONTENT_TYPE: TEXT}}\n" + text
        do {
            return try MustacheTemplate(string: source)
        } catch let e as MustacheTemplate.ParserError {
            throw TemplateError(template: t.name, path: t.path, line: base.map { $0 + e.context.lineNumber - 2 }, field: field,
                                message: "Mustache error: \(describe(e.error)) near \"\(e.context.line.trimmingCharacters(in: .whitespaces))\"",
                                fix: "check that every {{#section}} has a matching {{/section}}")
        } catch {
            throw TemplateError(template: t.name, path: t.path, line: base, field: field, message: "Mustache error: \(error)")
        }
    }

    private static func describe(_ e: Error) -> String {
        guard let m = e as? MustacheTemplate.Error else { return "\(e)" }
        switch m {
        case .sectionCloseNameIncorrect: return "a section is closed with the wrong name"
        case .unfinishedName: return "a tag is not closed with }}"
        case .expectedSectionEnd: return "a section is never closed"
        default: return "\(m)"
        }
    }
}
