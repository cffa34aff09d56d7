import Foundation
import Testing

@testable import WorkbenchCore

/// Wire shapes some GLM servers send or refuse: numeric tool-call ids (kept as their exact
/// digits) and empty texts (which Z.AI refuses with 1214).
@Suite("Wire edges: numeric tool-call ids, empty texts")
struct WireEdgeTests {
    @Test("a numeric tool-call id keeps its exact digits in streams and bodies, never call_0")
    func numericIds() throws {
        let chunk =
            #"{"id":"1","choices":[{"index":0,"delta":{"tool_calls":[{"id":-8303649628005950554,"index":0,"type":"function","function":{"name":"get_weather","arguments":"{}"}}]}}]}"#
        let decoded = try JSONDecoder().decode(ChatChunk.self, from: Data(chunk.utf8))
        var acc = StreamAccumulator()
        _ = acc.apply(decoded)
        #expect(acc.toolCalls.first?.id == "-8303649628005950554")
        let big =
            #"{"id":"1","choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":18446744073709551615,"type":"function","function":{"name":"f","arguments":"{}"}}]}}]}"#
        let body = try JSONDecoder().decode(ChatCompletion.self, from: Data(big.utf8))
        #expect(body.choices.first?.message?.toolCalls?.first?.id == "18446744073709551615")
        // The fast decoder leaves tool calls to the general one (nil: fall back).
        #expect(ChunkFastDecoder.decode(chunk, identityKnown: false) == nil)
    }

    @Test("an empty user or system message is refused before sending; an empty tool result is sent as a note")
    func emptyTexts() {
        let req = ChatRequest(model: "glm-4-32b-0414-128k", messages: [.system("  "), .user("")])
        let problems = req.validationErrors(glmRules: true)
        #expect(problems.contains { $0.contains("messages[0] (system) is empty") })
        #expect(problems.contains { $0.contains("messages[1] (user) is empty") })
        #expect(
            !ChatRequest(model: "m", messages: [.user("")]).validationErrors(glmRules: false).contains {
                $0.contains("is empty")
            },
            "other servers decide for themselves")
        #expect(ChatMessage.tool("", callId: "c").content == ChatMessage.emptyToolResult)
        #expect(ChatMessage.tool("ok", callId: "c").content == "ok")
    }
}

@Suite("clear_thinking on the wire")
struct ClearThinkingWireTests {
    @Test(
        "sent inside thinking where the model table says the model takes it (GLM-4.7, GLM-5); dropped with a note elsewhere"
    )
    func acceptedWhereDocumented() {
        var p = RequestParameters()
        p.clearThinking = false
        var on47 = ChatRequest(model: "glm-4.7", messages: [.user("hi")])
        p.apply(to: &on47)
        #expect(on47.dropUnaccepted().isEmpty)
        #expect(WireJSON.string(on47).contains(#""thinking":{"clear_thinking":false,"type":"enabled"}"#))
        var on45 = ChatRequest(model: "glm-4.5", messages: [.user("hi")])
        p.apply(to: &on45)
        let notes = on45.dropUnaccepted()
        #expect(notes.first?.contains("clear_thinking") == true)
        #expect(on45.thinking == ThinkingSetting(enabled: true), "thinking stays; only clear_thinking goes")
    }
}
