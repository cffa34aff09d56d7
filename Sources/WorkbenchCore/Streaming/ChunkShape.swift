import Foundation

/// The last chunk a stream's reader decoded, kept as the bytes around its one text value and
/// the chunk read from them: a payload with the same bytes around its text is that chunk with
/// the new text, and only the text is read (issue 15).
///
/// A stream's chunks differ only in their token: `{"id":…,"model":…,"choices":[{"index":0,
/// "delta":{"content":"` before it and `"}}]}` after it are the same bytes, chunk after chunk
/// (the log's `EventBlocks` store them once for that reason). Reading those bytes again for
/// every token was most of the fast decoder's work, itself a quarter of the reader's.
///
/// It is exact, not a guess: JSON is read left to right, so bytes equal up to the text's opening
/// quote leave the decoder in the same state there, and a string that ends exactly where the
/// equal tail begins leaves it in the same state after. Anything else — another shape, a string
/// that ends elsewhere (`"` inside, `\` at the end), a different `identityKnown` — is decoded in
/// full, and becomes the shape kept. `ChunkShapeTests` holds it to the stateless decoder on
/// random streams.
struct ChunkShape {
    /// What a payload turned out to be.
    enum Reading: Equatable {
        /// The kept chunk with this text, and the kept chunk carries nothing else: no finish
        /// reason, usage, tool call or other text, choice 0. Applying it is appending the text
        /// (`StreamAccumulator.append(_:to:)`), without building the chunk: a stream is one such
        /// payload per token, and copying the kept chunk into place, applying it and destroying
        /// it was a quarter of its reader's work (issue 15).
        case text(String, ChunkText.Field)
        /// Decoded into the caller's chunk, as `ChunkFastDecoder` decodes it.
        case chunk
        /// The general decoder must decide (the caller's chunk is then unspecified).
        case general
    }

    /// The kept payload's bytes up to and including its text's opening quote.
    private var head: [UInt8] = []
    /// The kept payload's bytes from its text's closing quote on.
    private var tail: [UInt8] = []
    private var chunk = FastChunk()
    private var field = ChunkText.Field.content
    private var identityKnown = false
    private var kept = false
    /// Whether the kept chunk carries its text and nothing else that a chunk can change.
    private var textOnly = false

    /// Reads `payload` as `ChunkFastDecoder.decode(utf8:identityKnown:into:)` does: `.chunk` and
    /// `.general` as it returns true and false, `.text` for the kept text-only chunk with new text.
    mutating func read(_ payload: RawPayload, identityKnown: Bool, into chunk: inout FastChunk) -> Reading {
        payload.withBytes { read(utf8: $0, identityKnown: identityKnown, into: &chunk) }
    }

    mutating func read(utf8 bytes: UnsafeBufferPointer<UInt8>, identityKnown: Bool, into chunk: inout FastChunk)
        -> Reading
    {
        if kept, identityKnown == self.identityKnown, let text = sameShape(bytes) {
            if textOnly { return .text(text, field) }
            chunk = self.chunk
            switch field {
            case .content: chunk.choice?.delta?.content = text
            case .reasoning: chunk.choice?.delta?.reasoningContent = text
            }
            return .chunk
        }
        var text: ChunkText?
        guard ChunkFastDecoder.decode(utf8: bytes, identityKnown: identityKnown, into: &chunk, text: &text) else {
            kept = false
            return .general
        }
        kept = text != nil
        if let text {
            head = Array(UnsafeBufferPointer(rebasing: bytes[..<(text.span.lowerBound + 1)]))
            tail = Array(UnsafeBufferPointer(rebasing: bytes[(text.span.upperBound - 1)...]))
            self.chunk = chunk
            field = text.field
            self.identityKnown = identityKnown
            textOnly = Self.carriesOnlyText(chunk, field: text.field)
        }
        return .chunk
    }

    /// Whether applying `chunk` changes nothing but the text of `field`: it is choice 0, with no
    /// finish reason, tool calls, usage or text in the other field. (Its id and model are the
    /// same bytes in every chunk of the shape, and the accumulator keeps the first it saw.)
    private static func carriesOnlyText(_ chunk: FastChunk, field: ChunkText.Field) -> Bool {
        guard chunk.usage == nil, let choice = chunk.choice, (choice.index ?? 0) == 0, choice.finishReason == nil,
            let delta = choice.delta, delta.toolCalls == nil
        else { return false }
        switch field {
        case .content: return delta.reasoningContent?.isEmpty ?? true
        case .reasoning: return delta.content?.isEmpty ?? true
        }
    }

    /// The text of a payload shaped as the kept one: its head and tail bytes equal, and one
    /// string exactly between them. Nil otherwise.
    private func sameShape(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let n = bytes.count
        guard n >= head.count + tail.count, let base = bytes.baseAddress else { return nil }
        let equal = head.withUnsafeBytes { h in
            tail.withUnsafeBytes { t in
                memcmp(base, h.baseAddress!, h.count) == 0 && memcmp(base + n - t.count, t.baseAddress!, t.count) == 0
            }
        }
        guard equal else { return nil }
        var scanner = ChunkByteScanner(bytes, at: head.count - 1)
        guard let text = try? scanner.string(), scanner.position == n - tail.count + 1 else { return nil }
        return text
    }
}
