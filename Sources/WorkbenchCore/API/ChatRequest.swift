import Foundation

/// The body of `POST {base}/chat/completions` (zai-api.md §2). Optional fields are omitted when
/// nil, as the official SDK does, so the wire only carries what the user set.
public struct ChatRequest: Codable, Sendable, Equatable {
    public var model: String
    public var messages: [ChatMessage]
    public var stream: Bool?
    public var temperature: Double?
    public var topP: Double?
    public var doSample: Bool?
    public var maxTokens: Int?
    public var stop: [String]?
    public var tools: [ToolSpec]?
    /// Z.AI accepts only `"auto"`; OpenAI-compatible servers (llama.cpp) also take the object form
    /// that names a function, so this stays an open JSON value.
    public var toolChoice: JSONValue?
    public var responseFormat: ResponseFormat?
    public var requestId: String?
    public var userId: String?
    /// Sampling seed: OpenAI-compatible servers (llama.cpp, vLLM, OpenAI) take it; Z.AI does not
    /// document it, so glmwb only sends it elsewhere (see `Determinism`).
    public var seed: Int?
    /// `thinking: {type: enabled|disabled}` (GLM-4.5 and later; the model table says which).
    public var thinking: ThinkingSetting?
    /// `reasoning_effort` (the models the table says take it).
    public var reasoningEffort: String?
    /// `tool_stream: true`: tool-call arguments stream in pieces (GLM-4.6 and later).
    public var toolStream: Bool?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature
        case topP = "top_p", doSample = "do_sample", maxTokens = "max_tokens", stop, tools
        case toolChoice = "tool_choice", responseFormat = "response_format"
        case requestId = "request_id", userId = "user_id", seed
        case thinking, reasoningEffort = "reasoning_effort", toolStream = "tool_stream"
    }

    public init(model: String, messages: [ChatMessage], stream: Bool? = nil) {
        self.model = model
        self.messages = messages
        self.stream = stream
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model) ?? ""
        messages = try c.decodeIfPresent([ChatMessage].self, forKey: .messages) ?? []
        stream = try c.decodeIfPresent(Bool.self, forKey: .stream)
        temperature = try c.decodeIfPresent(Double.self, forKey: .temperature)
        topP = try c.decodeIfPresent(Double.self, forKey: .topP)
        doSample = try c.decodeIfPresent(Bool.self, forKey: .doSample)
        maxTokens = try c.decodeIfPresent(Int.self, forKey: .maxTokens)
        // The SDK accepts a bare string for `stop`; so do we.
        if let one = try? c.decodeIfPresent(String.self, forKey: .stop) { stop = [one] }
        else { stop = try c.decodeIfPresent([String].self, forKey: .stop) }
        tools = try c.decodeIfPresent([ToolSpec].self, forKey: .tools)
        toolChoice = try c.decodeIfPresent(JSONValue.self, forKey: .toolChoice)
        responseFormat = try c.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat)
        requestId = try c.decodeIfPresent(String.self, forKey: .requestId)
        userId = try c.decodeIfPresent(String.self, forKey: .userId)
        seed = try? c.decodeIfPresent(Int.self, forKey: .seed)
        thinking = try? c.decodeIfPresent(ThinkingSetting.self, forKey: .thinking)
        reasoningEffort = try? c.decodeIfPresent(String.self, forKey: .reasoningEffort)
        toolStream = try? c.decodeIfPresent(Bool.self, forKey: .toolStream)
    }

    /// Problems the API would reject with 1210/1214, caught before a request costs anything.
    public func validationErrors() -> [String] { validationErrors(glmRules: true) }

    /// Problems the API would reject (or that make no sense anywhere), found before sending.
    /// `glmRules`: the endpoint serves GLM models (Z.AI, GLMSim), whose documented ranges apply
    /// (zai-api.md §2); other OpenAI-compatible servers get the OpenAI ranges.
    public func validationErrors(glmRules: Bool) -> [String] {
        var out: [String] = []
        if model.isEmpty { out.append("model is empty") }
        if messages.isEmpty { out.append("messages is empty") }
        if !messages.isEmpty, messages.allSatisfy({ $0.role == .system || $0.role == .assistant }) {
            out.append("messages hold only system/assistant turns; add a user message")
        }
        let temperatureRange: ClosedRange<Double> = glmRules ? 0...1 : 0...2
        if let t = temperature, !temperatureRange.contains(t) {
            out.append("temperature \(t) is outside \(Self.range(temperatureRange))" + (glmRules ? " on \(model)" : ""))
        }
        let topPRange: ClosedRange<Double> = glmRules ? 0.01...1 : 0...1
        if let p = topP, !topPRange.contains(p) { out.append("top_p \(p) is outside \(Self.range(topPRange))") }
        if let m = maxTokens {
            if m < 1 { out.append("max_tokens must be at least 1") }
            if glmRules, let limit = Self.maxOutputTokens(model: model), m > limit {
                out.append(
                    "max_tokens \(m) is more than \(model)'s \(limit)-token output limit: "
                        + "lower max_tokens to \(limit) or less, or use a model with a larger output")
            }
        }
        out += fieldProblems(glmRules: glmRules)
        // Z.AI refuses empty text ("messages[N].content: text cannot be empty", 1214): a user or
        // system message with nothing in it is said here, before a round trip.
        if glmRules {
            for (i, m) in messages.enumerated() where m.role == .user || m.role == .system {
                if (m.content ?? "").allSatisfy(\.isWhitespace) {
                    out.append("messages[\(i)] (\(m.role.rawValue)) is empty: Z.AI refuses empty text; write something")
                }
            }
        }
        // The model table's tool_choice values ("auto" on every GLM model on Z.AI).
        let choices = ModelTable.spec(for: model)?.fields.toolChoice ?? ["auto"]
        if glmRules, let c = toolChoice, !choices.contains(where: { c == .string($0) }) {
            out.append("tool_choice \(c.canonicalText): Z.AI accepts only \"auto\" (forcing a function works on OpenAI-compatible servers such as the local model)")
        }
        return out
    }

    /// The documented output limit of a GLM model, where the model table knows it.
    public static func maxOutputTokens(model: String) -> Int? {
        ModelTable.spec(for: model)?.maxOutput
    }

    private static func range(_ r: ClosedRange<Double>) -> String {
        func f(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }
        return "\(f(r.lowerBound))…\(f(r.upperBound))"
    }
}

public struct ResponseFormat: Codable, Sendable, Equatable {
    public var type: String
    public init(type: String) { self.type = type }
    public static let jsonObject = ResponseFormat(type: "json_object")
    public static let text = ResponseFormat(type: "text")
}

public enum Role: String, Codable, Sendable, Equatable {
    case system, user, assistant, tool
}

/// One message of the conversation as it goes on the wire.
public struct ChatMessage: Codable, Sendable, Equatable {
    public var role: Role
    public var content: String?
    public var toolCalls: [ToolCall]?
    public var toolCallId: String?
    /// An assistant turn's reasoning, sent back in a thinking model's tool loop (interleaved
    /// thinking: docs.z.ai/guides/capabilities/thinking-mode); nil everywhere else.
    public var reasoningContent: String?

    enum CodingKeys: String, CodingKey {
        case role, content, toolCalls = "tool_calls", toolCallId = "tool_call_id"
        case reasoningContent = "reasoning_content"
    }

    public init(role: Role, content: String?, toolCalls: [ToolCall]? = nil, toolCallId: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallId = toolCallId
    }

    public static func system(_ s: String) -> ChatMessage { .init(role: .system, content: s) }
    public static func user(_ s: String) -> ChatMessage { .init(role: .user, content: s) }
    public static func assistant(_ s: String?, toolCalls: [ToolCall]? = nil) -> ChatMessage {
        // Z.AI answers 1214 when both content and tool_calls are empty; send "" with tool calls.
        .init(role: .assistant, content: s ?? (toolCalls == nil ? nil : ""), toolCalls: toolCalls)
    }
    /// A tool's result for the model. One that returned nothing is sent as `emptyToolResult`:
    /// Z.AI refuses an empty text (1214), and the model is told what happened instead.
    public static func tool(_ s: String, callId: String) -> ChatMessage {
        .init(role: .tool, content: s.isEmpty ? emptyToolResult : s, toolCallId: callId)
    }

    /// What an empty tool result is sent as.
    public static let emptyToolResult = "(the tool returned no output)"

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        role = (try? c.decode(Role.self, forKey: .role)) ?? .assistant
        content = try? c.decodeIfPresent(String.self, forKey: .content)
        toolCalls = try? c.decodeIfPresent([ToolCall].self, forKey: .toolCalls)
        toolCallId = try? c.decodeIfPresent(String.self, forKey: .toolCallId)
        reasoningContent = try? c.decodeIfPresent(String.self, forKey: .reasoningContent)
    }
}

/// A complete tool call (as sent back in history and as assembled from a reply). `arguments` is
/// the JSON-encoded string exactly as the model produced it.
public struct ToolCall: Codable, Sendable, Equatable {
    public var id: String
    public var type: String
    public var function: FunctionCall

    public init(id: String, type: String = "function", name: String, arguments: String) {
        self.id = id
        self.type = type
        self.function = FunctionCall(name: name, arguments: arguments)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = ToolCallIDText.decode(c, forKey: .id) ?? ""
        type = (try? c.decodeIfPresent(String.self, forKey: .type)) ?? "function"
        function = (try? c.decodeIfPresent(FunctionCall.self, forKey: .function)) ?? FunctionCall(name: "", arguments: "")
    }

    enum CodingKeys: String, CodingKey { case id, type, function }
}

public struct FunctionCall: Codable, Sendable, Equatable {
    public var name: String
    public var arguments: String

    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey { case name, arguments }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = (try? c.decodeIfPresent(String.self, forKey: .name)) ?? ""
        arguments = ArgumentsText.decode(c, forKey: .arguments) ?? ""
    }
}

/// A tool call's `id` as text. Some GLM gateways send it as a JSON number (Z.AI's own ids were
/// 19-digit numbers in 2024); its digits are kept exactly — through `Int64`/`UInt64`, never a
/// `Double` that would round them — so the id echoed back in the `tool` message is the one the
/// server gave, never replaced by `call_0`.
enum ToolCallIDText {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, forKey key: K) -> String? {
        if let s = try? c.decodeIfPresent(String.self, forKey: key) { return s }
        if let n = try? c.decodeIfPresent(Int64.self, forKey: key) { return String(n) }
        if let n = try? c.decodeIfPresent(UInt64.self, forKey: key) { return String(n) }
        if let d = try? c.decodeIfPresent(Decimal.self, forKey: key) { return "\(d)" }
        return nil
    }
}

/// `arguments` is a JSON string on the wire, but the OpenAPI text types it as an object and some
/// servers send one; accept both and keep a string.
enum ArgumentsText {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, forKey key: K) -> String? {
        if let s = try? c.decodeIfPresent(String.self, forKey: key) { return s }
        if let v = try? c.decodeIfPresent(JSONValue.self, forKey: key), v != .null { return v.canonicalText }
        return nil
    }
}

/// A tool offered to the model: a function, Z.AI's knowledge-base retrieval, or web search.
public struct ToolSpec: Codable, Sendable, Equatable {
    public var type: String
    public var function: FunctionSpec?
    public var retrieval: JSONValue?
    public var webSearch: JSONValue?

    enum CodingKeys: String, CodingKey { case type, function, retrieval, webSearch = "web_search" }

    public init(function: FunctionSpec) {
        type = "function"
        self.function = function
    }

    public init(type: String, function: FunctionSpec? = nil, retrieval: JSONValue? = nil, webSearch: JSONValue? = nil) {
        self.type = type
        self.function = function
        self.retrieval = retrieval
        self.webSearch = webSearch
    }
}

public struct FunctionSpec: Codable, Sendable, Equatable {
    public var name: String
    public var description: String?
    public var parameters: JSONValue?

    public init(name: String, description: String? = nil, parameters: JSONValue? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}
