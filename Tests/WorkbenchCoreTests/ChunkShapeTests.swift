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

    @Test("on random streams, every payload reads as the stateless decoder decodes it, and applies alike")
    func matchesTheStatelessDecoder() {
        var rng = SplitMix64(seed: 0x5_4A9E)
        var readings: [String: Int] = [:]
        var total = 0
        for _ in 0..<300 {
            var shape = ChunkShape()
            var known = false
            // One accumulator takes every payload as the stateless decoder reads it, the other
            // as the shape reads it: they must make the same changes and end the same.
            var reference = StreamAccumulator()
            var accumulator = StreamAccumulator()
            for payload in Self.stream(&rng) {
                if rng.next() % 10 == 0 { known.toggle() }
                var expected = FastChunk()
                var got = FastChunk()
                let e = payload.withUnsafeBufferPointer {
                    ChunkFastDecoder.decode(utf8: $0, identityKnown: known, into: &expected)
                }
                let reading = shape.read(RawPayload(bytes: payload), identityKnown: known, into: &got)
                let text = String(decoding: payload, as: UTF8.self)
                #expect(e == (reading != .general), "\(text)")
                total += 1
                guard e else { continue }
                let want = reference.apply(expected)
                switch reading {
                case .chunk:
                    readings["chunk", default: 0] += 1
                    #expect(String(reflecting: got) == String(reflecting: expected), "\(text)")
                    #expect(accumulator.apply(got) == want, "\(text)")
                case .text(let t, let field):
                    readings["text", default: 0] += 1
                    let delta = expected.choice?.delta
                    #expect(t == (field == .content ? delta?.content : delta?.reasoningContent), "\(text)")
                    #expect(accumulator.append(t, to: field) == want, "\(text)")
                case .general:
                    break
                }
                #expect(String(reflecting: accumulator) == String(reflecting: reference), "\(text)")
            }
        }
        // Both ways of reusing the shape must be exercised, or the test proves little.
        #expect(readings["text", default: 0] > total / 20, "\(readings) of \(total)")
        #expect(readings["chunk", default: 0] > total / 5, "\(readings) of \(total)")
    }

    @Test("a stream of one shape reads the text of each chunk, content and reasoning alike")
    func oneShape() {
        var shape = ChunkShape()
        for field in ["content", "reasoning_content"] {
            for (i, token) in ["Hel", "lo", " \\\"q\\\"", ""].enumerated() {
                let payload = "{\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"\(field)\":\"\(token)\"}}]}"
                var chunk = FastChunk()
                let reading = shape.read(RawPayload(payload), identityKnown: i > 0, into: &chunk)
                let want = ["Hel", "lo", " \"q\"", ""][i]
                if i < 2 {
                    // The first payload, and the first once the identity is known, are decoded whole.
                    #expect(reading == .chunk)
                    let delta = chunk.choice?.delta
                    #expect((field == "content" ? delta?.content : delta?.reasoningContent) == want)
                    #expect(chunk.id == (i > 0 ? nil : "a"), "the id is read only while the identity is unknown")
                } else {
                    #expect(reading == .text(want, field == "content" ? .content : .reasoning))
                }
            }
        }
    }

    @Test("a chunk that carries more than its text is applied whole, however alike the next ones are")
    func moreThanText() {
        for extra in [",\"finish_reason\":\"stop\"", ",\"index\":1", ""] {
            var shape = ChunkShape()
            var readings: [ChunkShape.Reading] = []
            for token in ["a", "b", "c"] {
                let usage =
                    extra.isEmpty ? ",\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}" : ""
                let payload = "{\"choices\":[{\"delta\":{\"content\":\"\(token)\"}\(extra)}]\(usage)}"
                var chunk = FastChunk()
                readings.append(shape.read(RawPayload(payload), identityKnown: true, into: &chunk))
            }
            #expect(readings == [.chunk, .chunk, .chunk], "\(extra)")
        }
    }
}
