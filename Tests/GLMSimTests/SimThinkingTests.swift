import Foundation
import Testing
import WorkbenchCore

@testable import GLMSim

/// The `thinking` scenario, shaped like the recorded GLM-4.5/4.7 replies (zai-api.md §9).
@Suite struct SimThinkingTests {
    func respond(stream: Bool) -> String {
        let body = chatBody(model: "glm-4.5", stream: stream)
        let r = SimRouter.respond(
            method: "POST", uri: "/api/paas/v4/chat/completions", headerScenario: "thinking", body: Array(body.utf8),
            state: SimServerState(defaultScenario: "text"))
        return String(decoding: r.bodyBytes, as: UTF8.self)
    }

    @Test("stream: the recorded opening delta, reasoning before content, reasoning_tokens in usage")
    func stream() throws {
        let payloads = sseEvents(respond(stream: true)).map { String($0.dropFirst("data: ".count)) }
        #expect(payloads.last == "[DONE]")
        let chunks = try payloads.dropLast().map { try #require(JSONValue.parse($0)) }
        let deltas = chunks.compactMap { $0["choices"]?.arrayValue?.first?["delta"] }
        let opening: JSONValue = .object([
            "role": .string("assistant"), "content": .string(""), "reasoning_content": .string("\n"),
        ])
        #expect(deltas.first == opening)
        let firstContent = try #require(deltas.firstIndex { ($0["content"]?.stringValue ?? "").isEmpty == false })
        let lastReasoning = try #require(deltas.lastIndex { $0["reasoning_content"] != nil })
        #expect(lastReasoning < firstContent)
        // Mid-reasoning chunks carry the role and the reasoning only, as recorded.
        #expect(deltas[1].objectValue.map { Set($0.keys) } == ["role", "reasoning_content"])
        let reasoning = deltas.compactMap { $0["reasoning_content"]?.stringValue }.joined()
        #expect(reasoning == "\nThe user wrote: Ping. I should answer briefly.")
        #expect(deltas[firstContent]["content"]?.stringValue?.hasPrefix("\n") == true)
        let usage = try #require(chunks.last?["usage"])
        let reasoningTokens = deltas.filter { $0["reasoning_content"] != nil }.count
        #expect(usage["completion_tokens_details"] == .object(["reasoning_tokens": .number(Double(reasoningTokens))]))
        #expect(chunks.last?["choices"]?.arrayValue?.first?["finish_reason"] == .string("stop"))
    }

    @Test("non-stream: message.reasoning_content beside content, the same texts and usage as the stream")
    func nonStream() throws {
        let body = try #require(JSONValue.parse(respond(stream: false)))
        let message = try #require(body["choices"]?.arrayValue?.first?["message"])
        #expect(message["reasoning_content"] == .string("\nThe user wrote: Ping. I should answer briefly."))
        #expect(message["content"]?.stringValue?.hasPrefix("\nHello from GLMSim. You said: Ping.") == true)
        #expect(body["usage"]?["completion_tokens_details"]?["reasoning_tokens"] != nil)
        let completion = try JSONDecoder().decode(ChatCompletion.self, from: Data(respond(stream: false).utf8))
        #expect(completion.usage?.reasoningTokens == 9, "one per reasoning piece: the newline and eight words")
    }
}
