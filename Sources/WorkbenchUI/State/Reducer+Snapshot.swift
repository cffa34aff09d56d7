import Foundation
import WorkbenchCore

extension AppState {
    /// What F6 saves: the whole prompt state, not only the last prompt. When the last prompt
    /// came from a template, its text keeps the placeholders and the values used become the
    /// variables' defaults, with the template's own system prompt, parameters and tools;
    /// otherwise the typed prompt with the conversation's system prompt, the F2 parameters,
    /// the streaming mode and the tools on offer.
    func promptSnapshot() -> PromptSnapshot {
        let description = "Saved from conversation \(conversationId)"
        let lastUser = turns.lastIndex(where: { $0.kind == .user })
        // The run that answered the last prompt says whether a template produced it.
        let answer = lastUser.flatMap { i in turns[i...].first(where: { $0.kind == .assistant && $0.runId != nil })?.runId }
        if let run = runs.first(where: { $0.runId == answer }), let name = run.templateName,
           let t = templates.first(where: { $0.name == name }) {
            var p = RequestParameters()
            p.model = t.model
            p.temperature = t.temperature
            p.topP = t.topP
            p.maxTokens = t.maxTokens
            p.doSample = t.doSample
            p.stop = t.stop
            p.jsonMode = t.jsonMode
            let used = run.templateVariables ?? [:]
            let variables = t.variables.map { v -> TemplateVariable in
                var v = v
                if let value = used[v.name] { v.defaultValue = value }
                return v
            }
            var names: [String] = []
            var servers: [String] = []
            for ref in t.tools {
                switch ref {
                case .named(let n, _): names.append(n)
                case .mcpServer(let s, _): servers.append(s)
                case .defined(let d) where d.isBuiltIn || toolCatalog.contains(where: { $0.name == d.name }): names.append(d.name)
                case .defined: break
                }
            }
            return PromptSnapshot(description: description + " (from template \(name))", system: t.system, user: t.body,
                                  parameters: p, stream: t.stream, toolNames: names, mcpServers: servers, variables: variables)
        }
        var p = parameters
        var names = offerCatalogTools ? toolCatalog.map(\.name) : []
        if p.tools?.contains(where: { $0.type == "web_search" }) == true { names.insert("web_search", at: 0) }
        p.tools = nil
        let user = lastUser.map { turns[$0].text } ?? editor.text
        return PromptSnapshot(description: description, system: system, user: user, parameters: p, stream: stream, toolNames: names)
    }
}
