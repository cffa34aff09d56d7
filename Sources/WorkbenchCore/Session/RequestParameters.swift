/// The knobs a user turns between runs. nil means "not sent": the server's default applies
/// (0.75 temperature and 0.9 top_p on this model), and the request records exactly what was set.
public struct RequestParameters: Sendable, Equatable {
    public var model: String?
    public var temperature: Double?
    public var topP: Double?
    public var maxTokens: Int?
    public var doSample: Bool?
    public var jsonMode = false
    public var stop: [String]?
    public var tools: [ToolSpec]?
    public var toolChoice: JSONValue?
    public var seed: Int?
    /// `thinking` on (enabled) or off (disabled); nil sends nothing (the model's default).
    public var thinking: Bool?
    /// `thinking.clear_thinking`; `false` is preserved thinking. Nil sends nothing.
    public var clearThinking: Bool?
    public var reasoningEffort: String?
    /// `tool_stream: true` when set.
    public var toolStream: Bool?
    /// Client ids Z.AI echoes (request_id, 6–64 characters) and uses for abuse control (user_id,
    /// 6–128 characters).
    public var requestId: String?
    public var userId: String?

    public init() {}

    /// `auto` as is; a function name as the object form that forces it.
    public static func toolChoice(_ name: String) -> JSONValue {
        name == "auto" ? .string("auto")
            : .object(["type": .string("function"), "function": .object(["name": .string(name)])])
    }

    /// Applies these parameters to a request whose messages are already in place.
    public func apply(to request: inout ChatRequest) {
        if let model { request.model = model }
        request.temperature = temperature
        request.topP = topP
        request.maxTokens = maxTokens
        request.doSample = doSample
        request.responseFormat = jsonMode ? .jsonObject : nil
        request.stop = stop
        request.tools = tools
        request.toolChoice = toolChoice
        request.seed = seed
        request.thinking =
            (thinking != nil || clearThinking != nil)
            ? ThinkingSetting(enabled: thinking ?? true, clearThinking: clearThinking) : nil
        request.reasoningEffort = reasoningEffort
        request.toolStream = toolStream == true ? true : nil
        request.requestId = requestId
        request.userId = userId
    }
}
