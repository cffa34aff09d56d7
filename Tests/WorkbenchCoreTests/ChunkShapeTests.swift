import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// `ChunkShape` reads only the text of a chunk shaped as the one before: it must give exactly
/// what decoding every payload in full gives, on streams built to trip it.
@Suite("Chunk shape")
struct ChunkShapeTests {
    /// String values to put where a chunk's text was: ordinary text, escapes, a quote or a
    /// backslash that ends the string early or late, keys hidden in text, CJK, a raw control
    /// character, bytes that are not UTF-8.
    static let texts: [[UInt8]] =
        [
            "", "Hello", " world", "你好", "\\n", "\\\"", "a\\\\", "\\u00e9\\ud83d\\ude00", "\\u12", "\\x",
            "a\", \"extra\": \"b", "a\"}, \"finish_reason\": \"stop", "\\\\\"", "tab\there", "😀",
        ].map { Array($0.utf8) } + [[0xE4, 0xBD], [0xFF, 0x41], [0x01]]

    /// A stream: chunks of a few random shapes, each repeated with random texts, sometimes with a
    /// byte changed before or after the text, and now and then a chunk of another shape.
    static func stream(_ rng: inout SplitMix64) -> [[UInt8]] {
        var shapes: [(head: [UInt8], tail: [UInt8])] = []
        while shapes.count < 3 {
            var gen = RandomChunk(rng: rng)
            let bytes = Array(gen.chunk().utf8)
            rng = gen.rng
            var chunk = FastChunk()
            var text: ChunkText?
            let ok = bytes.withUnsafeBufferPointer {
                ChunkFastDecoder.decode(utf8: $0, identityKnown: false, into: &chunk, text: &text)
            }
            guard ok, let span = text?.span else { continue }
            shapes.append((Array(bytes[..<(span.lowerBound + 1)]), Array(bytes[(span.upperBound - 1)...])))
        }
        var out: [[UInt8]] = []
        var shape = shapes[0]
        for _ in 0..<60 {
            if rng.next() % 8 == 0 { shape = shapes[Int(rng.next() % 3)] }
            var head = shape.head
            var tail = shape.tail
            switch rng.next() % 12 {
            case 0: head[Int(rng.next() % UInt64(head.count))] = UInt8(ascii: "1") // before the text
            case 1: tail[Int(rng.next() % UInt64(tail.count))] = UInt8(ascii: "1") // after it
            case 2:
                var gen = RandomChunk(rng: rng)
                out.append(Array(gen.chunk().utf8)) // another shape altogether
                rng = gen.rng
                continue
            default: break
            }
            out.append(head + texts[Int(rng.next() % UInt64(texts.count))] + tail)
        }
        return out
    }

    @Test("on random streams, every payload decodes as the stateless decoder decodes it")
    func matchesTheStatelessDecoder() {
        var rng = SplitMix64(seed: 0x5_4A9E)
        var reused = 0
        var total = 0
        for _ in 0..<300 {
            var shape = ChunkShape()
            var known = false
            for payload in Self.stream(&rng) {
                if rng.next() % 10 == 0 { known.toggle() }
                var expected = FastChunk()
                var got = FastChunk()
                let e = payload.withUnsafeBufferPointer {
                    ChunkFastDecoder.decode(utf8: $0, identityKnown: known, into: &expected)
                }
                let g = shape.decode(RawPayload(bytes: payload), identityKnown: known, into: &got)
                #expect(e == g, "\(String(decoding: payload, as: UTF8.self))")
                if e && g {
                    #expect(String(reflecting: got) == String(reflecting: expected), "\(payload)")
                }
                total += 1
                if e { reused += 1 }
            }
        }
        #expect(reused > total / 3, "only \(reused) of \(total) payloads were taken: the test proves little")
    }

    @Test("a stream of one shape reads the text of each chunk, content and reasoning alike")
    func oneShape() {
        var shape = ChunkShape()
        for field in ["content", "reasoning_content"] {
            for (i, token) in ["Hel", "lo", " \\\"q\\\"", ""].enumerated() {
                let payload = "{\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"\(field)\":\"\(token)\"}}]}"
                var chunk = FastChunk()
                #expect(shape.decode(RawPayload(payload), identityKnown: i > 0, into: &chunk))
                let delta = chunk.choice?.delta
                let text = field == "content" ? delta?.content : delta?.reasoningContent
                #expect(text == ["Hel", "lo", " \"q\"", ""][i])
                #expect(chunk.id == (i > 0 ? nil : "a"), "the id is read only while the identity is unknown")
            }
        }
    }
}
