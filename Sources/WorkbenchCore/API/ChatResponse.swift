import Foundation

/// Token usage as the server reports it (zai-api.md §3). Every key is optional on decode because
/// OpenAI-compatible servers differ in what they send, but a count that is present must be
/// believable: a number outside `plausible`, or a total that is not the sum of its parts, makes
/// the whole usage invalid (decoding throws `Usage.Invalid`), so a hostile or broken server can
/// never put a negative or overflowing figure into a sum, a cost or a budget.
public struct Usage: Codable, Sendable, Equatable {
    public var promptTokens: Int
    public var completionTokens: Int
    public var totalTokens: Int
    public var cachedTokens: Int?
    public var reasoningTokens: Int?

    /// The counts a server may report: no request has ever been 10¹² tokens, and every sum of
    /// such counts over a lifetime of runs stays far inside `Int`.
    public static let plausible: ClosedRange<Int> = 0...1_000_000_000_000

    /// Why a reported usage was refused; the run falls back to the estimate and says so.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { "the server's usage was invalid (\(reason)); token counts are estimated" }
    }

    public init(promptTokens: Int, completionTokens: Int, totalTokens: Int? = nil, cachedTokens: Int? = nil, reasoningTokens: Int? = nil) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.totalTokens = totalTokens ?? promptTokens.addingSaturated(completionTokens)
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
        promptTokens = try Self.count(c, .promptTokens, "prompt_tokens") ?? 0
        completionTokens = try Self.count(c, .completionTokens, "completion_tokens") ?? 0
        let parts = promptTokens + completionTokens // both ≤ 10¹²: cannot overflow
        if let total = try Self.count(c, .totalTokens, "total_tokens", in: 0...(2 * Usage.plausible.upperBound)) {
            guard total == parts else {
                throw Invalid(reason: "total_tokens \(total) is not prompt_tokens + completion_tokens = \(parts)")
            }
            totalTokens = total
        } else {
            totalTokens = parts
        }
        if let d = try? c.nestedContainer(keyedBy: DetailKeys.self, forKey: .promptDetails) {
            cachedTokens = try Self.count(d, .cachedTokens, "prompt_tokens_details.cached_tokens")
            if let cached = cachedTokens, cached > promptTokens {
                throw Invalid(reason: "cached_tokens \(cached) is more than prompt_tokens \(promptTokens)")
            }
        }
        if let d = try? c.nestedContainer(keyedBy: DetailKeys.self, forKey: .completionDetails) {
            reasoningTokens = try Self.count(d, .reasoningTokens, "completion_tokens_details.reasoning_tokens")
        }
    }

    /// A count that is absent (or null) is nil; one that is present must be a whole number in
    /// `plausible`, or the usage is invalid.
    private static func count<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K, _ name: String,
                                            in range: ClosedRange<Int> = plausible) throws(Invalid) -> Int? {
        guard c.contains(key), (try? c.decodeNil(forKey: key)) != true else { return nil }
        if let n = try? c.decode(Int.self, forKey: key) {
            guard range.contains(n) else { throw Invalid(reason: "\(name) \(n) is outside 0…\(range.upperBound == plausible.upperBound ? "10¹²" : "2×10¹²")") }
            return n
        }
        if let d = try? c.decode(Double.self, forKey: key) {
            throw Invalid(reason: "\(name) \(d) is not a whole number in 0…10¹²")
        }
        throw Invalid(reason: "\(name) is not a number")
    }

    /// Decodes a usage object that may be invalid: the usage, or the reason it was refused.
    static func decodeReported<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) -> (Usage?, Invalid?) {
        guard c.contains(key), (try? c.decodeNil(forKey: key)) != true else { return (nil, nil) }
        do { return (try c.decode(Usage.self, forKey: key), nil) } catch {
            if let invalid = Self.invalid(in: error) { return (nil, invalid) }
            return (nil, Invalid(reason: "it is not an object of token counts"))
        }
    }

    /// The `Invalid` a decoding error carries (JSONDecoder may wrap what `init(from:)` threw).
    static func invalid(in error: Error) -> Invalid? {
        if let i = error as? Invalid { return i }
        if case DecodingError.dataCorrupted(let ctx) = error, let i = ctx.underlyingError as? Invalid { return i }
        return nil
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
    /// Set when the body carried a usage that could not be believed (`usage` is then nil).
    public var usageProblem: Usage.Invalid?
    public var webSearch: [WebSearchResult]?
    public var contentFilter: [ContentFilter]?

    public struct Choice: Decodable, Sendable {
        public var index: Int?
        public var finishReason: String?
        public var message: ChatMessage?
        /// `message.reasoning_content` of a thinking model (GLM-4.5 and later). Kept here, not in
        /// `ChatMessage`, because `ChatMessage` is also what a request sends: the reasoning is
        /// read from the reply without changing a single byte of any request.
        public var reasoningContent: String?
        enum CodingKeys: String, CodingKey { case index, finishReason = "finish_reason", message }
        enum MessageKeys: String, CodingKey { case reasoningContent = "reasoning_content" }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            // As strict as the synthesized decoder was for these three; only the reasoning is new.
            index = try c.decodeIfPresent(Int.self, forKey: .index)
            finishReason = try c.decodeIfPresent(String.self, forKey: .finishReason)
            message = try c.decodeIfPresent(ChatMessage.self, forKey: .message)
            if let m = try? c.nestedContainer(keyedBy: MessageKeys.self, forKey: .message) {
                reasoningContent = try? m.decodeIfPresent(String.self, forKey: .reasoningContent)
            }
        }
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
        (usage, usageProblem) = Usage.decodeReported(c, .usage)
        webSearch = try? c.decodeIfPresent([WebSearchResult].self, forKey: .webSearch)
        contentFilter = try? c.decodeIfPresent([ContentFilter].self, forKey: .contentFilter)
    }
}

/// One streamed chunk (zai-api.md §4). Also decodes an in-band `{"error":{…}}` payload, which the
/// SDK treats as a failure even though the docs never show one. Equatable so that the fast
/// decoder's chunks can be checked against this decoder's (`ChunkFastDecoderTests`).
public struct ChatChunk: Decodable, Sendable, Equatable {
    public var id: String?
    public var model: String?
    public var choices: [Choice]
    public var usage: Usage?
    /// Set when the chunk carried a usage that could not be believed (`usage` is then nil).
    public var usageProblem: Usage.Invalid?
    public var webSearch: [WebSearchResult]?
    public var contentFilter: [ContentFilter]?
    public var error: APIErrorBody.Detail?
    /// Parts of the chunk whose shape was wrong (`choices` not a list, `delta` not an object):
    /// counted as malformed by the run instead of being dropped without a word.
    public var shapeProblems: [String] = []

    public struct Choice: Decodable, Sendable, Equatable {
        public var index: Int?
        public var finishReason: String?
        public var delta: Delta?
        var shapeProblems: [String] = []
        enum CodingKeys: String, CodingKey { case index, finishReason = "finish_reason", delta }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            index = try? c.decodeIfPresent(Int.self, forKey: .index)
            finishReason = c.contains(.finishReason) ? try? c.decodeIfPresent(String.self, forKey: .finishReason) : nil
            delta = try? c.decodeIfPresent(Delta.self, forKey: .delta)
            if delta == nil, c.contains(.delta), (try? c.decodeNil(forKey: .delta)) != true { shapeProblems.append("`delta` is not an object") }
        }
    }

    public struct Delta: Decodable, Sendable, Equatable {
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
        if let list = try? c.decodeIfPresent([Choice].self, forKey: .choices) {
            choices = list
            shapeProblems = list.flatMap(\.shapeProblems)
        } else {
            choices = []
            if c.contains(.choices), (try? c.decodeNil(forKey: .choices)) != true { shapeProblems = ["`choices` is not a list"] }
        }
        if c.contains(.usage) { (usage, usageProblem) = Usage.decodeReported(c, .usage) }
        webSearch = c.contains(.webSearch) ? try? c.decodeIfPresent([WebSearchResult].self, forKey: .webSearch) : nil
        contentFilter = c.contains(.contentFilter) ? try? c.decodeIfPresent([ContentFilter].self, forKey: .contentFilter) : nil
        error = c.contains(.error) ? try? c.decodeIfPresent(APIErrorBody.Detail.self, forKey: .error) : nil
    }
}

/// A tool-call fragment keyed by `index`: whole on this model, in pieces on `tool_stream` models.
public struct ToolCallDelta: Decodable, Sendable, Equatable {
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
        id = ToolCallIDText.decode(c, forKey: .id)
        type = try? c.decodeIfPresent(String.self, forKey: .type)
        if let f = try? c.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function) {
            name = try? f.decodeIfPresent(String.self, forKey: .name)
            arguments = ArgumentsText.decode(f, forKey: .arguments)
        }
    }
}
