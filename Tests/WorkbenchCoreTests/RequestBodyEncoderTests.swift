import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// The conversation's request bodies, each message encoded once, against `JSONEncoder` writing
/// each whole: the same bytes, turn after turn, whatever the texts and whatever else changes.
@Suite("Request bodies of a conversation")
struct RequestBodyEncoderTests {
    /// Texts that stress the escaping: quotes, backslashes, slashes, every control character,
    /// CJK, an emoji, U+2028, and the key itself inside a string.
    static let texts: [String] = [
        "", "hi", "say \"hello\" \\ back", "a/b//c", "tab\there\nnew line\r\u{0}\u{1}\u{1F}\u{7F}",
        "你好世界", "👩‍💻 emoji", "line\u{2028}sep\u{2029}", "\"messages\":[]", "{\"messages\":[1]}",
        String(repeating: "long text ", count: 500),
    ]

    static func randomMessage(_ rng: inout SplitMix64) -> ChatMessage {
        func text() -> String { texts[Int(rng.next() % UInt64(texts.count))] + "\(rng.next() % 1000)" }
        switch rng.next() % 5 {
        case 0: return .system(text())
        case 1: return .assistant(text())
        case 2:
            return .assistant(nil, toolCalls: [ToolCall(id: "call_\(rng.next() % 9)", name: "add", arguments: text())])
        case 3: return .tool(text(), callId: "call_\(rng.next() % 9)")
        default: return .user(text())
        }
    }

    @Test("turn after turn, the body is JSONEncoder's to the byte, and the text is the same bytes")
    func conversationsMatchTheEncoder() throws {
        var rng = SplitMix64(seed: 0xB0D1E5)
        for _ in 0..<40 {
            var encoder = RequestBodyEncoder()
            var request = ChatRequest(model: "glm-4-32b-0414-128k", messages: [])
            for _ in 0..<12 {
                switch rng.next() % 10 {
                case 0:
                    // Another field changes: nothing may be spliced into the old shell.
                    request.temperature = Double(rng.next() % 10) / 10
                case 1:
                    // Rewound: a later turn replaces the last messages.
                    request.messages.removeLast(min(request.messages.count, Int(rng.next() % 3)))
                default:
                    break
                }
                for _ in 0..<(1 + Int(rng.next() % 3)) { request.messages.append(Self.randomMessage(&rng)) }
                let (body, json) = try encoder.encode(request)
                #expect(body == (try WireJSON.encode(request)))
                #expect(Array(json.utf8) == Array(body))
            }
        }
    }

    @Test("a stream and a non-stream run of the same turn, and the same request twice")
    func sameMessagesOtherShell() throws {
        var encoder = RequestBodyEncoder()
        var request = ChatRequest(model: "m", messages: [.user("one")], stream: true)
        for _ in 0..<2 { #expect(try encoder.encode(request).body == (try WireJSON.encode(request))) }
        request.stream = nil
        #expect(try encoder.encode(request).body == (try WireJSON.encode(request)))
        request.messages += [.assistant("two"), .user("three")]
        #expect(try encoder.encode(request).body == (try WireJSON.encode(request)))
    }

    @Test("the top-level messages key is found past tools whose schemas and texts hold the same key")
    func insertionIgnoresNestedKeys() throws {
        var request = ChatRequest(model: "m", messages: [])
        let schema = JSONValue.parse(#"{"type":"object","properties":{"messages":[]},"\"messages\":[]":"x"}"#)
        request.tools = [
            ToolSpec(function: FunctionSpec(name: "f", description: "\"messages\":[]", parameters: schema))
        ]
        request.doSample = true
        let shell = try WireJSON.encode(request)
        let at = try #require(RequestBodyEncoder.messagesInsertion(shell))
        // The insertion point is just after the `[` of the top-level key, which sorts after
        // `do_sample` and before `model`.
        let prefix = String(decoding: shell[..<at], as: UTF8.self)
        #expect(prefix.hasSuffix("\"do_sample\":true,\"messages\":["))
        var encoder = RequestBodyEncoder()
        for n in 1...3 {
            request.messages.append(.user("turn \(n) \"messages\":[]"))
            #expect(try encoder.encode(request).body == (try WireJSON.encode(request)))
        }
    }
}
