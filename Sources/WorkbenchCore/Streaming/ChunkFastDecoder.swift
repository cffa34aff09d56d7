/// The hot path of a stream: decodes the ordinary chat-completion chunk in one pass over its
/// UTF-8 bytes, straight into a `FastChunk`: the `ChatChunk` that `JSONDecoder` would have
/// produced, without its list of choices.
///
/// `JSONDecoder` builds a dictionary of every object's keys before the `Decodable` code reads
/// one, and that was two thirds of the CPU of a 100,000-chunk stream (issue 15). This decoder
/// knows the few shapes that make up nearly every chunk — content, reasoning and role deltas, a finish
/// reason, `index`, `id`/`model`, `usage` with its details — and reads them without building
/// anything but the result. Unknown scalar fields (`created`, `object`, `logprobs: null`, …) are
/// checked and skipped.
///
/// Anything else returns nil and the caller decodes the payload with `JSONDecoder`:
/// several choices, tool calls, `web_search`, `content_filter`, `error`, unknown objects or
/// arrays, a repeated known key, a usage that would be refused, numbers written with a fraction
/// or an exponent where an integer belongs, and all malformed input. Correctness therefore never
/// depends on this file; `ChunkFastDecoderTests` checks it against the general decoder.
enum ChunkFastDecoder {
    /// The chunk, or nil when the general decoder must decide. `identityKnown` mirrors
    /// `ChatChunk.identityKnown`: once the stream has an id and a model, they are not read.
    static func decode(_ payload: String, identityKnown: Bool) -> ChatChunk? {
        decodeFast(payload, identityKnown: identityKnown)?.chatChunk
    }

    /// As `decode(_:identityKnown:)`, without the list of choices.
    static func decodeFast(_ payload: String, identityKnown: Bool) -> FastChunk? {
        var chunk = FastChunk()
        return decode(payload, identityKnown: identityKnown, into: &chunk) ? chunk : nil
    }

    /// What a stream's reader calls once per payload: the chunk is read into `chunk`, which the
    /// reader keeps from one payload to the next. A chunk of a few hundred bytes returned through
    /// each level of the decoder was copied at each (issue 15: a third of the reader's copies).
    /// Returns false when the general decoder must decide (`chunk` is then unspecified).
    static func decode(_ payload: String, identityKnown: Bool, into chunk: inout FastChunk) -> Bool {
        var text = payload
        return text.withUTF8 { decode(utf8: $0, identityKnown: identityKnown, into: &chunk) }
    }

    /// As `decode(_:identityKnown:into:)`, for a payload's bytes as they arrived. They need not
    /// be UTF-8: strings are decoded with repair, which reads a bad sequence as U+FFFD exactly as
    /// making the payload a `String` first did, and a bad byte outside a string is refused.
    static func decode(
        utf8 bytes: UnsafeBufferPointer<UInt8>, identityKnown: Bool, into chunk: inout FastChunk
    ) -> Bool {
        var text: ChunkText?
        return decode(utf8: bytes, identityKnown: identityKnown, into: &chunk, text: &text)
    }

    /// As `decode(utf8:identityKnown:into:)`, saying where the chunk's one text value lies.
    static func decode(
        utf8 bytes: UnsafeBufferPointer<UInt8>, identityKnown: Bool, into chunk: inout FastChunk,
        text: inout ChunkText?
    ) -> Bool {
        var scanner = ChunkByteScanner(bytes)
        do {
            try top(&scanner, identityKnown: identityKnown, into: &chunk)
            scanner.skipWhitespace()
            text = scanner.text
            return scanner.atEnd
        } catch {
            return false
        }
    }

    private static func top(_ s: inout ChunkByteScanner, identityKnown: Bool, into chunk: inout FastChunk)
        throws(ChunkFallback)
    {
        chunk = FastChunk()
        s.skipWhitespace()
        try s.expect(UInt8(ascii: "{"))
        var seen = KeysSeen()
        var first = true
        while let key = try s.nextKey(first: &first) {
            if s.key(key, is: "choices") {
                try seen.once(0)
                if try !s.takeNull() { try onlyChoice(&s, into: &chunk.choice) }
            } else if s.key(key, is: "id") {
                try seen.once(1)
                if identityKnown { try s.skipScalar() } else { chunk.id = try s.nullableString() }
            } else if s.key(key, is: "model") {
                try seen.once(2)
                if identityKnown { try s.skipScalar() } else { chunk.model = try s.nullableString() }
            } else if s.key(key, is: "usage") {
                try seen.once(3)
                if try !s.takeNull() { chunk.usage = try usage(&s) }
            } else if s.key(key, is: "web_search") || s.key(key, is: "content_filter") || s.key(key, is: "error") {
                throw ChunkFallback()
            } else {
                try s.skipScalar()
            }
        }
    }

    /// The one choice of a chunk, or nil for an empty list. Several choices (`n` > 1, which GLM
    /// does not serve) are the general decoder's.
    private static func onlyChoice(_ s: inout ChunkByteScanner, into found: inout ChatChunk.Choice?)
        throws(ChunkFallback)
    {
        try s.expect(UInt8(ascii: "["))
        var first = true
        while try s.nextElement(first: &first) {
            if found != nil { throw ChunkFallback() }
            found = ChatChunk.Choice(index: nil, finishReason: nil, delta: nil)
            try choice(&s, into: &found!)
        }
    }

    private static func choice(_ s: inout ChunkByteScanner, into choice: inout ChatChunk.Choice) throws(ChunkFallback) {
        try s.expect(UInt8(ascii: "{"))
        var seen = KeysSeen()
        var first = true
        while let key = try s.nextKey(first: &first) {
            if s.key(key, is: "delta") {
                try seen.once(0)
                if try !s.takeNull() {
                    choice.delta = ChatChunk.Delta(role: nil, content: nil)
                    try delta(&s, into: &choice.delta!)
                }
            } else if s.key(key, is: "index") {
                try seen.once(1)
                choice.index = try s.nullableInt()
            } else if s.key(key, is: "finish_reason") {
                try seen.once(2)
                choice.finishReason = try s.nullableString()
            } else {
                try s.skipScalar()
            }
        }
    }

    private static func delta(_ s: inout ChunkByteScanner, into delta: inout ChatChunk.Delta) throws(ChunkFallback) {
        try s.expect(UInt8(ascii: "{"))
        var seen = KeysSeen()
        var first = true
        while let key = try s.nextKey(first: &first) {
            if s.key(key, is: "content") {
                try seen.once(0)
                let start = s.position
                delta.content = try s.nullableString()
                if delta.content != nil { s.markText(from: start, .content) }
            } else if s.key(key, is: "role") {
                try seen.once(1)
                delta.role = try s.nullableString()
            } else if s.key(key, is: "reasoning_content") {
                // Thinking models send one such chunk per reasoning token: the hot path too.
                try seen.once(2)
                let start = s.position
                delta.reasoningContent = try s.nullableString()
                if delta.reasoningContent != nil { s.markText(from: start, .reasoning) }
            } else if s.key(key, is: "tool_calls") {
                throw ChunkFallback()
            } else {
                try s.skipScalar()
            }
        }
    }

    /// A usage the general decoder would accept as it is: whole counts in `Usage.plausible`, a
    /// total that is their sum, cached tokens within the prompt. Anything it would refuse (and
    /// explain) is left to it, so the explanation stays its own.
    private static func usage(_ s: inout ChunkByteScanner) throws(ChunkFallback) -> Usage {
        try s.expect(UInt8(ascii: "{"))
        var prompt: Int?
        var completion: Int?
        var total: Int?
        var cached: Int?
        var reasoning: Int?
        var seen = KeysSeen()
        var first = true
        while let key = try s.nextKey(first: &first) {
            if s.key(key, is: "prompt_tokens") {
                try seen.once(0)
                prompt = try count(&s)
            } else if s.key(key, is: "completion_tokens") {
                try seen.once(1)
                completion = try count(&s)
            } else if s.key(key, is: "total_tokens") {
                try seen.once(2)
                total = try count(&s)
            } else if s.key(key, is: "prompt_tokens_details") {
                try seen.once(3)
                cached = try detail(&s, "cached_tokens")
            } else if s.key(key, is: "completion_tokens_details") {
                try seen.once(4)
                reasoning = try detail(&s, "reasoning_tokens")
            } else {
                try s.skipScalar()
            }
        }
        let parts = (prompt ?? 0) + (completion ?? 0)
        if let total, total != parts { throw ChunkFallback() }
        if let cached, cached > (prompt ?? 0) { throw ChunkFallback() }
        return Usage(
            promptTokens: prompt ?? 0, completionTokens: completion ?? 0, totalTokens: parts,
            cachedTokens: cached, reasoningTokens: reasoning)
    }

    /// One count of a usage: nil when null, a number in `Usage.plausible`, or a fallback.
    private static func count(_ s: inout ChunkByteScanner) throws(ChunkFallback) -> Int? {
        guard let n = try s.nullableInt() else { return nil }
        guard Usage.plausible.contains(n) else { throw ChunkFallback() }
        return n
    }

    /// `prompt_tokens_details` / `completion_tokens_details`: `null` (ignored, as the general
    /// decoder ignores it) or an object of which only `name` is read.
    private static func detail(_ s: inout ChunkByteScanner, _ name: StaticString) throws(ChunkFallback) -> Int? {
        if try s.takeNull() { return nil }
        try s.expect(UInt8(ascii: "{"))
        var value: Int?
        var seen = false
        var first = true
        while let key = try s.nextKey(first: &first) {
            if s.key(key, is: name) {
                if seen { throw ChunkFallback() }
                seen = true
                value = try count(&s)
            } else {
                try s.skipScalar()
            }
        }
        return value
    }
}

/// Which known keys an object has had: a key that comes twice is left to the general decoder,
/// since decoders disagree on which of the two wins.
private struct KeysSeen {
    private var bits: UInt8 = 0

    mutating func once(_ bit: UInt8) throws(ChunkFallback) {
        let mask: UInt8 = 1 << bit
        if bits & mask != 0 { throw ChunkFallback() }
        bits |= mask
    }
}

/// An ordinary chunk as `ChunkFastDecoder` reads it: `ChatChunk` without its list of choices
/// (there is at most one) and without the fields only the general decoder fills. A stream's
/// reader takes one per token, and building, copying and freeing a `ChatChunk` and its array for
/// each was a fifth of the reader's time (issue 15).
struct FastChunk: Sendable, Equatable {
    var id: String?
    var model: String?
    /// The chunk's choice; nil when `choices` was empty, null or absent.
    var choice: ChatChunk.Choice?
    var usage: Usage?

    /// The same chunk as `JSONDecoder` gives it.
    var chatChunk: ChatChunk {
        ChatChunk(id: id, model: model, choices: choice.map { [$0] } ?? [], usage: usage)
    }
}

extension ChatChunk {
    /// The chunk `ChunkFastDecoder` builds; the rest of the fields keep their defaults.
    init(id: String?, model: String?, choices: [Choice], usage: Usage?) {
        self.id = id
        self.model = model
        self.choices = choices
        self.usage = usage
    }
}

extension ChatChunk.Choice {
    init(index: Int?, finishReason: String?, delta: ChatChunk.Delta?) {
        self.index = index
        self.finishReason = finishReason
        self.delta = delta
    }
}

extension ChatChunk.Delta {
    init(role: String?, content: String?) {
        self.role = role
        self.content = content
    }
}
