import Foundation

/// Token usage as the server reports it (zai-api.md §3). Every key is optional on decode because
/// OpenAI-compatible servers differ in what they send.
public struct Usage: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var cachedTokens: Int?
    public var reasoningTokens: Int?

    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil, cachedTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens + completionTokens
        self.cachedTokens = cachedTokens
        self.reasoningTokens = reasoningTokens
    }

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
        case promptDetails = "prompt_tokens_details", completionDetails = "completion_tokens_details"
    }
    enum DetailKeys: String, CodingKey { case cachedTokens = "cached_tokens", reasoningTokens = "reasoning_tokens" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        promptTokens = (try? c.decodeIfPresent(Int.self, forKey: .promptTokens)) ?? 0
        completionTokens = (try? c.decodeIfPresent(Int.self, forKey: .completionTokens)) ?? 0
        totalTokens = (try? c.decodeIfPresent(Int.self, forKey: .totalTokens)) ?? promptTokens + completionTokens
        cachedTokens = (try? c.nestedContainer(keyedBy: DetailKeys.self, forKey: .promptDetails))
            .flatMap { try? $0.decodeIfPresent(Int.self, forKey: .cachedTokens) }
        reasoningTokens = (try? c.nestedContainer(keyedBy: DetailKeys.self, forKey: .completionDetails))
            .flatMap { try? $0.decodeIfPresent(Int.self, forKey: .reasoningTokens) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(promptTokens, forKey: .promptTokens)
        try c.encode(completionTokens, forKey: .completionTokens)
        try c.encode(totalTokens, forKey: .totalTokens)
        if let cachedTokens {
            var d = c.nestedContainer(keyedBy: DetailKeys.self, forKey: .promptDetails)
            try d.encode(cachedTokens, forKey: .cachedTokens)
        }
        if let reasoningTokens {
            var d = c.nestedContainer(keyedBy: DetailKeys.self, forKey: .completionDetails)
            try d.encode(reasoningTokens, forKey: .reasoningTokens)
        }
    }
}

/// One item of the `web_search` array returned when the web_search tool ran with `search_result`.
public struct WebSearchResult: Codable, Sendable, Equatable {
    public var title: String?
    public var content: String?
    public var link: String?
    public var media: String?
    public var icon: String?
    public var refer: String?
    public var publishDate: String?

    enum CodingKeys: String, CodingKey {
        case title, content, link, media, icon, refer, publishDate = "publish_date"
    }
}

/// `content_filter` / `contentFilter` entries: which side was flagged and how severely (0 = worst).
public struct ContentFilter: Codable, Sendable, Equatable {
    public var role: String?
    public var level: Int?
}

/// A non-streaming response body (zai-api.md §3).
public struct ChatCompletion: Decodable, Sendable {
    public var id: String?
    public var requestId: String?
    public var created: Int?
    public var model: String?
    public var choices: [Choice]
    public var usage: Usage?
    public var webSearch: [WebSearchResult]?
    public var contentFilter: [ContentFilter]?

    public struct Choice: Decodable, Sendable {
        public var index: Int?
        public var finishReason: String?
        public var message: ChatMessage?
        enum CodingKeys: String, CodingKey { case index, finishReason = "finish_reason", message }
    }

    enum CodingKeys: String, CodingKey {
        case id, requestId = "request_id", created, model, choices, usage
        case webSearch = "web_search", contentFilter = "content_filter"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try? c.decodeIfPresent(String.self, forKey: .id)
        requestId = try? c.decodeIfPresent(String.self, forKey: .requestId)
        created = try? c.decodeIfPresent(Int.self, forKey: .created)
        model = try? c.decodeIfPresent(String.self, forKey: .model)
        choices = (try? c.decodeIfPresent([Choice].self, forKey: .choices)) ?? []
        usage = try? c.decodeIfPresent(Usage.self, forKey: .usage)
        webSearch = try? c.decodeIfPresent([WebSearchResult].self, forKey: .webSearch)
        contentFilter = try? c.decodeIfPresent([ContentFilter].self, forKey: .contentFilter)
    }
}

/// One streamed chunk (zai-api.md §4). Also decodes an in-band `{"error":{…}}` payload, which the
/// SDK treats as a failure even though the docs never show one.
public struct ChatChunk: Decodable, Sendable {
    public var id: String?
    public var model: String?
    public var choices: [Choice]
    public var usage: Usage?
    public var webSearch: [WebSearchResult]?
    public var contentFilter: [ContentFilter]?
    public var error: APIErrorBody.Detail?

    public struct Choice: Decodable, Sendable {
        public var index: Int?
        public var finishReason: String?
        public var delta: Delta?
        enum CodingKeys: String, CodingKey { case index, finishReason = "finish_reason", delta }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            index = try? c.decodeIfPresent(Int.self, forKey: .index)
            finishReason = c.contains(.finishReason) ? try? c.decodeIfPresent(String.self, forKey: .finishReason) : nil
            delta = try? c.decodeIfPresent(Delta.self, forKey: .delta)
        }
    }

    public struct Delta: Decodable, Sendable {
        public var role: String?
        public var content: String?
        public var reasoningContent: String?
        public var toolCalls: [ToolCallDelta]?
        enum CodingKeys: String, CodingKey {
            case role, content, reasoningContent = "reasoning_content", toolCalls = "tool_calls"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            role = c.contains(.role) ? try? c.decodeIfPresent(String.self, forKey: .role) : nil
            content = try? c.decodeIfPresent(String.self, forKey: .content)
            reasoningContent = c.contains(.reasoningContent) ? try? c.decodeIfPresent(String.self, forKey: .reasoningContent) : nil
            toolCalls = c.contains(.toolCalls) ? try? c.decodeIfPresent([ToolCallDelta].self, forKey: .toolCalls) : nil
        }
    }

    /// Set on a stream's decoder once the first chunk supplied `id` and `model`.
    public static let identityKnown = CodingUserInfoKey(rawValue: "glmwb.identityKnown")!

    enum CodingKeys: String, CodingKey {
        case id, model, choices, usage, error
        case webSearch = "web_search", contentFilter = "content_filter"
    }

    /// Decoded on the hot path (one call per streamed token): keys that are rare on the wire are
    /// looked up with `contains` first, which is far cheaper than a generic `decodeIfPresent`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // `id` and `model` repeat unchanged on every chunk; once the stream has them, skip them.
        if decoder.userInfo[ChatChunk.identityKnown] as? Bool != true {
            id = try? c.decodeIfPresent(String.self, forKey: .id)
            model = try? c.decodeIfPresent(String.self, forKey: .model)
        }
        choices = (try? c.decodeIfPresent([Choice].self, forKey: .choices)) ?? []
        usage = c.contains(.usage) ? try? c.decodeIfPresent(Usage.self, forKey: .usage) : nil
        webSearch = c.contains(.webSearch) ? try? c.decodeIfPresent([WebSearchResult].self, forKey: .webSearch) : nil
        contentFilter = c.contains(.contentFilter) ? try? c.decodeIfPresent([ContentFilter].self, forKey: .contentFilter) : nil
        error = c.contains(.error) ? try? c.decodeIfPresent(APIErrorBody.Detail.self, forKey: .error) : nil
    }
}

/// A tool-call fragment keyed by `index`: whole on this model, in pieces on `tool_stream` models.
public struct ToolCallDelta: Decodable, Sendable {
    public var index: Int?
    public var id: String?
    public var type: String?
    public var name: String?
    public var arguments: String?

    enum CodingKeys: String, CodingKey { case index, id, type, function }
    enum FunctionKeys: String, CodingKey { case name, arguments }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        index = try? c.decodeIfPresent(Int.self, forKey: .index)
        id = try? c.decodeIfPresent(String.self, forKey: .id)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
        if let f = try? c.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function) {
            name = try? f.decodeIfPresent(String.self, forKey: .name)
            arguments = ArgumentsText.decode(f, forKey: .arguments)
        }
    }
}
