/// `thinking: {"type": "enabled"|"disabled", "clear_thinking": false}` (zai-api.md §2, §9;
/// `clear_thinking` where the model table says the model takes it).
public struct ThinkingSetting: Codable, Sendable, Equatable {
    public var type: String
    /// `false` keeps earlier turns' reasoning in context (preserved thinking, GLM-4.7 and GLM-5):
    /// the history then carries each assistant turn's `reasoning_content`, unmodified.
    public var clearThinking: Bool?

    enum CodingKeys: String, CodingKey { case type, clearThinking = "clear_thinking" }

    public init(enabled: Bool, clearThinking: Bool? = nil) {
        type = enabled ? "enabled" : "disabled"
        self.clearThinking = clearThinking
    }

    public var enabled: Bool { type == "enabled" }

    /// `on`/`off` as flags, templates and the form write it (also `enabled`/`disabled`, true/false).
    public static func parseSwitch(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "on", "enabled", "true", "yes": return true
        case "off", "disabled", "false", "no": return false
        default: return nil
        }
    }

    /// The `reasoning_effort` values glmwb lets through.
    public static let efforts = ["low", "medium", "high"]
}

/// Z.AI's documented lengths of the client ids (the OpenAPI `request_id`, `user_id`).
public enum ClientIDLimits {
    public static let requestId = 6...64
    public static let userId = 6...128
}

extension ChatRequest {
    /// Problems with the request fields the API would refuse: `tool_choice` without tools, more
    /// than one stop word and the ids' lengths on GLM endpoints.
    func fieldProblems(glmRules: Bool) -> [String] {
        var out: [String] = []
        if let c = toolChoice, tools?.isEmpty ?? true {
            out.append("tool_choice \(c.canonicalText) without tools: declare tools or drop tool_choice")
        }
        guard glmRules else { return out }
        if let f = responseFormat, let types = ModelTable.spec(for: model)?.fields.responseFormats,
            !types.contains(f.type)
        {
            out.append("response_format \(f.type): \(model) takes \(types.joined(separator: " or "))")
        }
        if let s = stop, s.count > 1 {
            out.append("stop has \(s.count) words: Z.AI supports one stop word; keep one")
        }
        for (name, value, range) in [
            ("request_id", requestId, ClientIDLimits.requestId), ("user_id", userId, ClientIDLimits.userId),
        ] {
            if let v = value, !range.contains(v.count) {
                out.append(
                    "\(name) is \(v.count) characters: Z.AI takes \(range.lowerBound)–\(range.upperBound)")
            }
        }
        return out
    }

    /// Removes the fields the model table says this model does not take, and says which (one
    /// note for all). A model the table does not know gets what was set.
    public mutating func dropUnaccepted() -> [String] {
        guard let fields = ModelTable.spec(for: model)?.fields else { return [] }
        var dropped: [String] = []
        if thinking != nil, !fields.thinking {
            thinking = nil
            dropped.append("thinking")
        }
        if reasoningEffort != nil, !fields.reasoningEffort {
            reasoningEffort = nil
            dropped.append("reasoning_effort")
        }
        if thinking?.clearThinking != nil, !fields.clearThinking {
            thinking?.clearThinking = nil
            dropped.append("clear_thinking")
        }
        if toolStream != nil, !fields.toolStream {
            toolStream = nil
            dropped.append("tool_stream")
        }
        guard !dropped.isEmpty else { return [] }
        return ["\(dropped.joined(separator: ", ")) not sent: \(model) does not take it (model table)"]
    }
}
