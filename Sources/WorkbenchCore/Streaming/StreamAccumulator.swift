import Foundation

/// What one SSE payload turned out to be.
public enum StreamItem: Sendable {
    case chunk(ChatChunk)
    case done
    /// An in-band error: `event: error`, or a payload that is `{"error":{…}}`.
    case error(APIErrorBody.Detail)
    /// A `data:` field with nothing in it: ignored, and counted as an anomaly of the run.
    case empty
    /// A payload that is not JSON or not a chunk; kept so the run can report it, never dropped silently.
    case malformed(reason: String)

    /// Decodes one SSE event: an ordinary chunk with `ChunkFastDecoder`, anything else (or
    /// anything it is unsure of) with `decoder`, so the fast path can only ever save time.
    /// `identityKnown` is `ChatChunk.identityKnown` in `decoder.userInfo`, read once per read of
    /// the network by a caller that decodes many events, rather than once per event.
    public static func decode(_ event: SSEEvent, decoder: JSONDecoder, identityKnown: Bool? = nil) -> StreamItem {
        if event.type != "error" {
            let known = identityKnown ?? (decoder.userInfo[ChatChunk.identityKnown] as? Bool == true)
            if let chunk = ChunkFastDecoder.decode(event.data, identityKnown: known) { return .chunk(chunk) }
        }
        return decodeGeneral(event, decoder: decoder)
    }

    /// The general path: `JSONDecoder` for every payload. `[DONE]` ends the stream (the SDK
    /// accepts any data starting with it).
    static func decodeGeneral(_ event: SSEEvent, decoder: JSONDecoder) -> StreamItem {
        let text = event.data
        if text.hasPrefix("[DONE]") { return .done }
        if text.allSatisfy(\.isWhitespace) { return .empty }
        let bytes = Data(text.utf8)
        if event.type == "error" {
            if let body = try? decoder.decode(APIErrorBody.self, from: bytes) { return .error(body.detail) }
            return .error(.init(code: nil, message: text))
        }
        do {
            let chunk = try decoder.decode(ChatChunk.self, from: bytes)
            if let err = chunk.error, chunk.choices.isEmpty { return .error(err) }
            return .chunk(chunk)
        } catch {
            return .malformed(reason: Self.describe(error))
        }
    }

    static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let ctx) = error {
            return ctx.underlyingError.map { "invalid JSON (\($0.localizedDescription))" } ?? "invalid JSON (\(ctx.debugDescription))"
        }
        return "invalid JSON (\(error))"
    }
}

/// A tool call as it is being assembled. `arguments` grows when a server streams it in pieces.
public struct PartialToolCall: Sendable, Equatable {
    public var index: Int
    public var id: String?
    public var type: String?
    public var name: String?
    public var arguments: String = ""

    public init(index: Int, id: String? = nil, type: String? = nil, name: String? = nil, arguments: String = "") {
        self.index = index
        self.id = id
        self.type = type
        self.name = name
        self.arguments = arguments
    }

    public var complete: ToolCall {
        ToolCall(id: id ?? "call_\(index)", type: type ?? "function", name: name ?? "", arguments: arguments)
    }
}

/// Folds stream chunks (or one non-stream body) into the assistant message, the last finish
/// reason, the final usage and the side channels (`web_search`, `content_filter`).
///
/// Tool calls are keyed by `index` even though this model sends each call whole, so the same code
/// handles `tool_stream` servers that send arguments in fragments. `finish_reason` repeats on
/// every tool-call chunk; the last non-nil value wins.
public struct StreamAccumulator: Sendable {
    public private(set) var id: String?
    public private(set) var model: String?
    public private(set) var content = ""
    public private(set) var reasoning = ""
    public private(set) var toolCallsByIndex: [Int: PartialToolCall] = [:]
    public private(set) var finishReason: String?
    public private(set) var usage: Usage?
    /// The last usage the server sent that could not be believed (then `usage` is nil).
    public private(set) var usageProblem: Usage.Invalid?
    public private(set) var webSearch: [WebSearchResult] = []
    public private(set) var contentFilter: [ContentFilter] = []
    public private(set) var chunkCount = 0

    public init() {}

    public var toolCalls: [ToolCall] {
        toolCallsByIndex.keys.sorted().compactMap { toolCallsByIndex[$0]?.complete }
    }

    /// The changes one chunk made, in the order a viewer should show them.
    public struct Change: Sendable, Equatable {
        public var text: String?
        /// Reasoning (`reasoning_content`) this chunk added.
        public var reasoning: String?
        public var toolCallIndexes: [Int] = []
        /// Tool-call names and argument fragments this chunk added: generated text, so it is
        /// counted toward the completion estimate like content and reasoning.
        public var toolText = ""
        public var usage: Usage?
        public var webSearch: [WebSearchResult]?
        public var finishReason: String?
        /// Parts of the chunk that had the wrong shape (counted as malformed by the run).
        public var shapeProblems: [String] = []

        /// Whether the model generated something in this chunk (content, reasoning or a tool
        /// call): what times the first and last token and makes a chunk token-bearing.
        public var carriesTokens: Bool { text != nil || reasoning != nil || !toolCallIndexes.isEmpty }
    }

    @discardableResult
    public mutating func apply(_ chunk: ChatChunk) -> Change {
        var change = begin(id: chunk.id, model: chunk.model)
        for choice in chunk.choices where (choice.index ?? 0) == 0 { take(choice, into: &change) }
        if let u = chunk.usage {
            usage = u
            usageProblem = nil
            change.usage = u
        } else if let p = chunk.usageProblem {
            usage = nil
            usageProblem = p
        }
        change.shapeProblems = chunk.shapeProblems
        if let w = chunk.webSearch, !w.isEmpty {
            webSearch = w
            change.webSearch = w
        }
        if let cf = chunk.contentFilter { contentFilter = cf }
        return change
    }

    /// As `apply(_:)`, for the ordinary chunk the fast decoder read (a stream's reader takes one
    /// per token): the same changes, made by the same code.
    @discardableResult
    mutating func apply(_ chunk: FastChunk) -> Change {
        var change = begin(id: chunk.id, model: chunk.model)
        // Read in place: binding the choice to a name would copy it.
        if chunk.choice != nil, (chunk.choice!.index ?? 0) == 0 { take(chunk.choice!, into: &change) }
        if let u = chunk.usage {
            usage = u
            usageProblem = nil
            change.usage = u
        }
        return change
    }

    /// As `apply(_:)` for a chunk that carries only `text` (`ChunkShape.Reading.text`): the
    /// stream's id and model are already those of its shape, so it is counted and its text
    /// taken, by the same code, without the chunk being built.
    mutating func append(_ text: String, to field: ChunkText.Field) -> Change {
        chunkCount += 1
        var change = Change()
        switch field {
        case .content: take(content: text, into: &change)
        case .reasoning: take(reasoning: text, into: &change)
        }
        return change
    }

    /// Counts a chunk and keeps the stream's first id and model.
    private mutating func begin(id: String?, model: String?) -> Change {
        chunkCount += 1
        if self.id == nil { self.id = id }
        if self.model == nil { self.model = model }
        return Change()
    }

    /// Takes what the first choice (`index` 0) of a chunk adds.
    private mutating func take(_ choice: ChatChunk.Choice, into change: inout Change) {
        if let d = choice.delta {
            if let t = d.content { take(content: t, into: &change) }
            if let r = d.reasoningContent { take(reasoning: r, into: &change) }
            for (k, tc) in (d.toolCalls ?? []).enumerated() {
                let idx = tc.index ?? k
                var partial = toolCallsByIndex[idx] ?? PartialToolCall(index: idx)
                if partial.id == nil, let v = tc.id, !v.isEmpty { partial.id = v }
                if partial.type == nil { partial.type = tc.type }
                if partial.name == nil, let v = tc.name, !v.isEmpty {
                    partial.name = v
                    change.toolText += v
                }
                if let a = tc.arguments {
                    partial.arguments += a
                    change.toolText += a
                }
                toolCallsByIndex[idx] = partial
                change.toolCallIndexes.append(idx)
            }
        }
        if let f = choice.finishReason {
            finishReason = f
            change.finishReason = f
        }
    }

    private mutating func take(content t: String, into change: inout Change) {
        guard !t.isEmpty else { return }
        content += t
        change.text = t
    }

    private mutating func take(reasoning r: String, into change: inout Change) {
        guard !r.isEmpty else { return }
        reasoning += r
        change.reasoning = r
    }

    /// Takes a whole non-streaming body.
    public mutating func absorb(_ completion: ChatCompletion) {
        id = completion.id
        model = completion.model
        if let choice = completion.choices.first(where: { ($0.index ?? 0) == 0 }) ?? completion.choices.first {
            content = choice.message?.content ?? ""
            reasoning = choice.reasoningContent ?? ""
            for (k, tc) in (choice.message?.toolCalls ?? []).enumerated() {
                toolCallsByIndex[k] = PartialToolCall(index: k, id: tc.id, type: tc.type, name: tc.function.name, arguments: tc.function.arguments)
            }
            finishReason = choice.finishReason
        }
        usage = completion.usage
        usageProblem = completion.usageProblem
        webSearch = completion.webSearch ?? []
        contentFilter = completion.contentFilter ?? []
    }
}
