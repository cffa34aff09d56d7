/// JSON shapes shared by the writers and the `command` input, so a usage or a tool call is
/// spelled one way everywhere.
enum EvalJSONFields {
    static func usage(_ u: Usage) -> JSONValue {
        var o: [String: JSONValue] = [
            "prompt_tokens": .number(Double(u.promptTokens)),
            "completion_tokens": .number(Double(u.completionTokens)),
            "total_tokens": .number(Double(u.totalTokens)),
        ]
        if let c = u.cachedTokens { o["cached_tokens"] = .number(Double(c)) }
        if let r = u.reasoningTokens { o["reasoning_tokens"] = .number(Double(r)) }
        return .object(o)
    }
}
