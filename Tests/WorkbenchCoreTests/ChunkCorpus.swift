import Foundation
import Testing

@testable import GLMSim
@testable import WorkbenchCore

/// Payloads to hold the fast chunk decoder against, and the check itself.
enum ChunkCorpus {
    /// `JSONDecoder`'s chunk: the reference answer.
    static func general(_ payload: String, identityKnown: Bool) -> ChatChunk? {
        let decoder = JSONDecoder()
        if identityKnown { decoder.userInfo[ChatChunk.identityKnown] = true }
        return try? decoder.decode(ChatChunk.self, from: Data(payload.utf8))
    }

    /// The chunk as bytes: `==` on strings is canonical equivalence ("é" equals "e\u{301}"), and
    /// the fast path must give the very same text, not an equivalent one.
    static func exact(_ chunk: ChatChunk?) -> [UInt8] { Array(String(reflecting: chunk).utf8) }

    /// Checks the fast path against the general decoder; returns whether the fast path took it.
    @discardableResult
    static func agree(_ payload: String, identityKnown: Bool, sourceLocation: SourceLocation = #_sourceLocation) -> Bool
    {
        guard let fast = ChunkFastDecoder.decode(payload, identityKnown: identityKnown) else { return false }
        let general = general(payload, identityKnown: identityKnown)
        #expect(
            general != nil, "the fast path read what JSONDecoder refuses: \(payload)", sourceLocation: sourceLocation)
        #expect(exact(fast) == exact(general), "fast and general differ on \(payload)", sourceLocation: sourceLocation)
        #expect(fast == general, sourceLocation: sourceLocation)
        // A stream's reader applies the fast chunk itself, without the list of choices: it must
        // change an accumulator exactly as the general chunk does, from empty and mid-stream.
        if let general, let lean = ChunkFastDecoder.decodeFast(payload, identityKnown: identityKnown) {
            for before in [[], [payload]] {
                var viaFast = StreamAccumulator()
                var viaGeneral = StreamAccumulator()
                for p in before {
                    if let c = ChunkCorpus.general(p, identityKnown: identityKnown) {
                        viaFast.apply(c)
                        viaGeneral.apply(c)
                    }
                }
                let changeFast = viaFast.apply(lean)
                let changeGeneral = viaGeneral.apply(general)
                #expect(
                    Array(String(reflecting: changeFast).utf8) == Array(String(reflecting: changeGeneral).utf8),
                    "the change differs on \(payload)", sourceLocation: sourceLocation)
                #expect(
                    Array(String(reflecting: viaFast).utf8) == Array(String(reflecting: viaGeneral).utf8),
                    "the accumulator differs on \(payload)", sourceLocation: sourceLocation)
            }
        }
        return true
    }

    /// The wired path (fast first) and the general one give the same item for an event.
    static func expectStreamItemMatchesGeneral(_ event: SSEEvent, sourceLocation: SourceLocation = #_sourceLocation) {
        let wired = StreamItem.decode(event, decoder: JSONDecoder())
        let reference = StreamItem.decodeGeneral(event, decoder: JSONDecoder())
        #expect(
            Array(String(reflecting: wired).utf8) == Array(String(reflecting: reference).utf8),
            "\(event.data)", sourceLocation: sourceLocation)
    }

    /// Every chunk-like payload written in the repository's tests and sources (recorded streams,
    /// scripted replies, hostile fixtures), found by reading the files: a fixture added later is
    /// checked without touching this test. Extraction is loose (a literal's escaping is guessed
    /// several ways), which is harmless: whatever text comes out is one more input to compare on.
    static func recordedPayloads() -> [String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var found = Set<String>()
        for folder in ["Tests", "Sources"] {
            let dir = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where ["swift", "py"].contains(file.pathExtension) {
                guard file.lastPathComponent != "ChunkCorpus.swift",
                    let text = try? String(contentsOf: file, encoding: .utf8)
                else { continue }
                for line in text.split(separator: "\n") where line.contains("choices") {
                    found.formUnion(candidates(in: String(line)))
                }
            }
        }
        return found.sorted()
    }

    /// Every `{"…}` span of a line that mentions choices, ending at one of its last few `}`, as
    /// written and with one level of string-literal escaping undone.
    private static func candidates(in line: String) -> [String] {
        let chars = Array(line)
        let opens = chars.indices.filter { chars[$0] == "{" && $0 + 1 < chars.count && chars[$0 + 1] == "\"" }
        let closes = chars.indices.filter { chars[$0] == "}" }.suffix(4)
        var out: [String] = []
        for o in opens.prefix(6) {
            for c in closes where c > o {
                let span = String(chars[o...c])
                guard span.contains("choices") else { continue }
                out += [
                    span, span.replacingOccurrences(of: #"\\"#, with: #"\"#),
                    span.replacingOccurrences(of: #"\""#, with: #"""#),
                ]
            }
        }
        return out
    }

    /// Shapes of real GLM recordings (zai-api.md §4, §9): the ordinary ones first.
    static let glmOrdinaryCount = 9
    static let glmShapes: [String] = [
        // Thinking models (GLM-4.5+): the opening reasoning delta and one mid-reasoning, as recorded.
        #"{"id":"x","created":1758884780,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":"\n"}}]}"#,
        #"{"id":"x","created":1758884780,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":" user"}}]}"#,
        #"{"id":"20250926190604cbc0f909a2b14d52","created":1758884780,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","content":"I"}}]}"#,
        #"{"id":"2026031412000011aa22bb33cc44dd55ee","object":"chat.completion.chunk","created":1773460800,"model":"glm-4.7-flash","choices":[{"index":0,"delta":{"role":"assistant","content":"\n你好"}}]}"#,
        #"{"id":"8312345678901234567","created":1704067200,"model":"glm-4","choices":[{"index":0,"delta":{"role":"assistant","content":"\u4f60\u597d"}}]}"#,
        #"{"id":"x","created":1758884780,"model":"glm-4.5","choices":[{"index":0,"finish_reason":"tool_calls","delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":282,"completion_tokens":178,"total_tokens":460,"prompt_tokens_details":{"cached_tokens":43}}}"#,
        #"{"id":"x","object":"chat.completion.chunk","created":1773460800,"model":"glm-4.7","choices":[{"index":0,"finish_reason":"stop","delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":10,"completion_tokens":90,"total_tokens":100,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":71}}}"#,
        #"{"id": "flood-1", "created": 1700000000, "model": "glm-4-32b-0414-128k", "choices": [{"index": 0, "delta": {"content": " 你好"}, "finish_reason": null}]}"#,
        #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"content":"x"},"logprobs":null,"finish_reason":null}]}"#,
        #"{"id":"x","created":1758884780,"model":"glm-4.5","choices":[{"index":0,"finish_reason":"tool_calls","delta":{"tool_calls":[{"id":"call_2dbb","index":0,"type":"function","function":{"name":"add","arguments":"{\"a\": 2, \"b\": 3}"}}]}}]}"#,
        #"{"id":"x","choices":[{"index":0,"finish_reason":"sensitive","delta":{"content":""}}],"content_filter":[{"role":"assistant","level":1}]}"#,
        #"{"error":{"code":"1301","message":"unsafe content"}}"#,
        #"{"id":"x","choices":[{"index":0,"delta":{"content":"a"}}],"web_search":[{"title":"T","link":"https://e.x","refer":"ref_1"}]}"#,
    ]

    /// Not JSON, or not an object: the fast path gives up and the run reports the payload.
    static let malformed: [String] = [
        "{", #"{"choices":["#, #"{"choices":[{"index":0,"delta":{"content":"brok"#, #"{"choices":[]}x"#,
        #"{,"choices":[]}"#, #"{"choices" []}"#, #"{"id":.5,"choices":[]}"#, #"{"id":+1,"choices":[]}"#,
        #"{"id":tru,"choices":[]}"#, #"{"choices":[{"delta":{"content":"\u12"}}]}"#, "[]", "null", #""text""#,
        #"{"choices":[]} {"choices":[]}"#, "{'choices':[]}", #"{"choices":[{"delta":{"content":"a"}}]"#,
        #"{"choices":[{"delta":{"content":"a"}}}]}"#, #"{"a":nul}"#,
    ]

    /// Not strict JSON, yet `JSONDecoder` takes them: its scanner allows a trailing comma, and it
    /// only checks a number or an escape when something reads it (`try?` then turns the failure
    /// into nil). The fast path refuses each, so the general decoder's lenient answer stands.
    static let lenient: [String] = [
        #"{"choices":[],}"#, #"{"id":01,"choices":[]}"#, #"{"id":1.,"choices":[]}"#, #"{"id":-,"choices":[]}"#,
        #"{"choices":[{"delta":{"content":"a\x"}}]}"#, #"{"a":1e}"#, #"{"a":1e+}"#, #"{"choices":[{"index":01}]}"#,
    ]

    /// Valid but unusual, or leniently accepted: the fast path must leave each to the general decoder.
    static let unusual: [String] =
        lenient + [
            #"{"choices":[{"delta":{"content":"\ud800"}}]}"#, #"{"choices":[{"delta":{"content":"\udc00x"}}]}"#,
            #"{"choices":[{"delta":{"con\u0074ent":"x"}}]}"#, #"{"choices":[{"index":1.0,"delta":{"content":"x"}}]}"#,
            #"{"choices":[{"index":"0","delta":{"content":"x"}}]}"#,
            #"{"choices":[{"delta":{"content":"a","content":"b"}}]}"#,
            #"{"choices":[],"choices":[]}"#, #"{"choices":[],"extra":{"a":1}}"#, #"{"choices":[],"extra":[1]}"#,
            #"{"choices":{"index":0,"delta":{"content":"x"}}}"#, #"{"choices":[{"index":0,"delta":"x"}]}"#,
            #"{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":4}}"#,
            #"{"choices":[],"usage":{"prompt_tokens":-1}}"#, #"{"choices":[],"usage":{"prompt_tokens":1e2}}"#,
            #"{"choices":[],"usage":{"prompt_tokens":1,"prompt_tokens_details":{"cached_tokens":2}}}"#,
            #"{"choices":[],"usage":7}"#, #"{"id":7,"choices":[]}"#, #"{"choices":[{"finish_reason":1}]}"#,
            #"{"choices":[{"index":12345678901234567890}]}"#, "\u{FEFF}{\"choices\":[]}",
        ]
}

/// GLMSim's streams, produced in-process (the router, no socket) for every scenario.
enum SimStreams {
    static let scenarios = [
        "text", "cjk", "long:300", "tool_call", "parallel_tools", "multi_step", "diverge:text", "diverge:tools",
        "diverge:usage", "first_tool", "tool_forever", "bad_args", "json_mode", "web_search", "sensitive",
        "error:1113", "error_flat:1305", "flaky:1", "flaky500:1", "no_retry:1", "slow:1", "stall:3", "disconnect:200",
        "malformed", "event_error", "inband_error", "network_error", "length", "no_done", "no_usage", "crlf",
        "thinking",
    ]

    /// Scenarios whose every chunk is text, reasoning, a role or the final usage: all on the fast path.
    static let plainText: Set<String> = [
        "thinking",
        "text", "cjk", "long:300", "diverge:text", "slow:1", "network_error", "length", "no_done", "no_usage", "crlf",
    ]

    static func events(scenario: String) throws -> [SSEEvent] {
        let body =
            #"{"model":"glm-4-32b-0414-128k","stream":true,"messages":[{"role":"user","content":"Ping \"quoted\" 你好"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]}"#
        let response = SimRouter.respond(
            method: "POST", uri: "/api/paas/v4/chat/completions", headerScenario: scenario,
            body: Array(body.utf8), state: SimServerState(defaultScenario: "text"))
        var parser = SSEParser()
        var events: [SSEEvent] = []
        parser.feed(response.bodyBytes) { events.append($0) }
        parser.finish { events.append($0) }
        return events
    }
}
