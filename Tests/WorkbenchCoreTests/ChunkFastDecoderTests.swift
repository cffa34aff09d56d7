import Foundation
import Testing
import WorkbenchTestSupport

@testable import GLMSim
@testable import WorkbenchCore

/// The fast chunk decoder against `JSONDecoder`, the definition of a right answer: wherever the
/// fast path returns a chunk it must be the general decoder's chunk to the byte, and on the
/// ordinary content-delta shapes it must return one (else it would be silently useless).
@Suite struct ChunkFastDecoderTests {
    @Test func everyRecordedFixtureAgrees() throws {
        let payloads = ChunkCorpus.recordedPayloads()
        var decodable = 0
        var fast = 0
        for payload in payloads {
            if ChunkCorpus.general(payload, identityKnown: false) != nil { decodable += 1 }
            for known in [false, true] where ChunkCorpus.agree(payload, identityKnown: known) { fast += 1 }
        }
        // The harvest found the fixtures, and the fast path read the ordinary ones among them.
        #expect(decodable >= 20, "only \(decodable) of \(payloads.count) harvested payloads decode")
        #expect(fast >= 10, "the fast path took only \(fast) of \(payloads.count) recorded payloads")
    }

    @Test func realGLMShapesAgree() {
        for payload in ChunkCorpus.glmShapes {
            for known in [false, true] { ChunkCorpus.agree(payload, identityKnown: known) }
        }
        for payload in ChunkCorpus.glmShapes.prefix(ChunkCorpus.glmOrdinaryCount) {
            #expect(ChunkFastDecoder.decode(payload, identityKnown: false) != nil, "fell back on \(payload)")
        }
    }

    @Test(arguments: SimStreams.scenarios)
    func everySimulatedStreamAgrees(scenario: String) throws {
        let events = try SimStreams.events(scenario: scenario)
        var taken = 0
        var chunks = 0
        for event in events where !event.data.hasPrefix("[DONE]") {
            chunks += 1
            if ChunkCorpus.agree(event.data, identityKnown: false) { taken += 1 }
            ChunkCorpus.agree(event.data, identityKnown: true)
            ChunkCorpus.expectStreamItemMatchesGeneral(event)
        }
        if SimStreams.plainText.contains(scenario) {
            #expect(chunks > 0)
            #expect(taken == chunks, "\(scenario): the fast path took \(taken) of \(chunks) text chunks")
        }
    }

    @Test func randomChunksAgree() {
        var rng = SplitMix64(seed: 0x15_C0FFEE)
        var ordinary = 0
        var taken = 0
        for _ in 0..<6000 {
            var gen = RandomChunk(rng: rng)
            let payload = gen.chunk()
            rng = gen.rng
            let accepted = ChunkCorpus.agree(payload, identityKnown: rng.next() & 1 == 0)
            if accepted { taken += 1 }
            if gen.ordinary {
                ordinary += 1
                #expect(accepted, "the fast path fell back on an ordinary chunk: \(payload)")
            }
        }
        #expect(ordinary > 1000 && taken >= ordinary, "ordinary \(ordinary), taken \(taken)")
    }

    /// The reader decodes a payload's bytes as they arrived (`RawPayload`), which may not be
    /// UTF-8; it used to decode the repaired `String` made from them. Both must give one chunk.
    @Test func rawBytesDecodeAsTheirText() {
        var rng = SplitMix64(seed: 0xBAD_B17E5)
        let bad: [[UInt8]] = [
            [0x80], [0xFF], [0xE4, 0xBD], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        ]
        var taken = 0
        for _ in 0..<3000 {
            var gen = RandomChunk(rng: rng)
            var bytes = Array(gen.chunk().utf8)
            rng = gen.rng
            for _ in 0..<Int(1 + rng.next() % 3) {
                // Inside a string value most of the time (after an opening quote), anywhere else now and then.
                let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "\"") }
                let at =
                    !quotes.isEmpty && rng.next() % 4 != 0
                    ? quotes[Int(rng.next() % UInt64(quotes.count))] + 1 : Int(rng.next() % UInt64(bytes.count + 1))
                bytes.insert(contentsOf: bad[Int(rng.next() % UInt64(bad.count))], at: at)
            }
            let known = rng.next() & 1 == 0
            var viaBytes = FastChunk()
            var viaText = FastChunk()
            let b = bytes.withUnsafeBufferPointer {
                ChunkFastDecoder.decode(utf8: $0, identityKnown: known, into: &viaBytes)
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let t = ChunkFastDecoder.decode(text, identityKnown: known, into: &viaText)
            #expect(b == t, "\(bytes)")
            if b && t {
                taken += 1
                #expect(String(reflecting: viaBytes) == String(reflecting: viaText), "\(bytes)")
            }
        }
        #expect(taken > 300, "the fast path took \(taken) of 3000: too few to compare")
    }

    @Test func mutatedChunksNeverDisagreeOrCrash() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<4000 {
            var gen = RandomChunk(rng: rng)
            var bytes = Array(gen.chunk().utf8)
            rng = gen.rng
            let at = Int(rng.next() % UInt64(bytes.count + 1))
            switch rng.next() % 4 {
            case 0: bytes.removeSubrange(at...)
            case 1: if at < bytes.count { bytes.remove(at: at) }
            case 2: bytes.insert(Array(#"{}[],:"\ 0-eE.nx"#.utf8).randomElement(using: &rng)!, at: at)
            default: if at < bytes.count { bytes[at] = UInt8(truncatingIfNeeded: rng.next() % 0x80) }
            }
            ChunkCorpus.agree(String(decoding: bytes, as: UTF8.self), identityKnown: false)
        }
    }

    @Test(arguments: ChunkCorpus.malformed)
    func malformedInputFallsBack(payload: String) {
        #expect(ChunkFastDecoder.decode(payload, identityKnown: false) == nil)
        guard case .malformed = StreamItem.decode(SSEEvent(data: payload), decoder: JSONDecoder()) else {
            Issue.record("\(payload) was not reported malformed")
            return
        }
    }

    @Test(arguments: ChunkCorpus.unusual)
    func unusualInputIsLeftToTheGeneralDecoder(payload: String) {
        #expect(ChunkFastDecoder.decode(payload, identityKnown: false) == nil)
        ChunkCorpus.expectStreamItemMatchesGeneral(SSEEvent(data: payload))
    }

    @Test func escapesSurrogatesAndCJKAreExact() throws {
        let payload =
            #"{"choices":[{"index":0,"delta":{"content":"\ud83d\ude00 \u4F60\u597d 世界 \"q\" \\ \/ \b\f\n\r\t \u0000 é e\u0301"}}]}"#
        let chunk = try #require(ChunkFastDecoder.decode(payload, identityKnown: false))
        let text = try #require(chunk.choices.first?.delta?.content)
        #expect(Array(text.utf8) == Array("😀 你好 世界 \"q\" \\ / \u{8}\u{C}\n\r\t \u{0} é e\u{301}".utf8))
        ChunkCorpus.agree(payload, identityKnown: false)
    }

    @Test func identityIsSkippedOnceKnown() throws {
        let payload = WireFixtures.textChunk("hi")
        let first = try #require(ChunkFastDecoder.decode(payload, identityKnown: false))
        let later = try #require(ChunkFastDecoder.decode(payload, identityKnown: true))
        #expect(first.id == "chatcmpl-scripted" && first.model == "glm-4-32b-0414-128k")
        #expect(later.id == nil && later.model == nil)
    }

    @Test func usageWithDetailsIsRead() throws {
        let payload =
            #"{"choices":[{"index":0,"finish_reason":"stop","delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":282,"completion_tokens":178,"total_tokens":460,"prompt_tokens_details":{"cached_tokens":43},"completion_tokens_details":{"reasoning_tokens":9}}}"#
        let chunk = try #require(ChunkFastDecoder.decode(payload, identityKnown: false))
        #expect(chunk.usage == Usage(promptTokens: 282, completionTokens: 178, cachedTokens: 43, reasoningTokens: 9))
        ChunkCorpus.agree(payload, identityKnown: false)
    }
}
