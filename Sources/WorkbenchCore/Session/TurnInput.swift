import Foundation

/// What the user sends as one turn: a typed prompt with its parameters, or a rendered template
/// (which brings its own system prompt, few-shot turns and parameters).
public enum TurnInput: Sendable, Equatable {
    case prompt(String, RequestParameters)
    case template(RenderedTemplate)

    /// The template's name and values, recorded with every run of the turn.
    public var templateName: String? {
        if case .template(let r) = self { return r.template }
        return nil
    }

    public var templateVariables: [String: String]? {
        if case .template(let r) = self { return r.values }
        return nil
    }
}

extension Session {
    /// The one builder of a turn's request, used by `glmwb run` and the workbench alike (they
    /// had a copy each, and drifted): the system prompt (a template's replaces the
    /// conversation's, and stays for the turns after it), the history, the new user message, the
    /// parameters, and the offered tools after any the parameters already carry (web search),
    /// each offered once.
    public func request(for input: TurnInput, offering tools: [ToolSpec] = []) -> ChatRequest {
        var request: ChatRequest
        switch input {
        case .prompt(let text, let parameters):
            request = self.request(for: text, parameters: parameters)
        case .template(let rendered):
            system = rendered.system
            request = rendered.request(defaultModel: provider.defaultModel, history: history)
        }
        if !tools.isEmpty {
            let own = (request.tools ?? []).filter { !tools.contains($0) }
            request.tools = own + tools
        }
        return request
    }

    /// Sends a turn: a plain run when no tools are offered, else the tool loop, which answers
    /// the model's calls through `dispatcher` for at most `stepLimit` steps. The turn and its
    /// reply join the history as `keepsInHistory` says.
    public func submit(_ input: TurnInput, mode: RunMode, dispatcher: ToolDispatcher? = nil,
                       stepLimit: Int = 8) -> AsyncStream<[RunEvent]> {
        guard let dispatcher, !dispatcher.specs.isEmpty else {
            return run(request(for: input), mode: mode, updatesHistory: true,
                       templateName: input.templateName, templateVariables: input.templateVariables)
        }
        return runLoop(request(for: input, offering: dispatcher.specs), mode: mode, dispatcher: dispatcher, stepLimit: stepLimit,
                       templateName: input.templateName, templateVariables: input.templateVariables)
    }
}
