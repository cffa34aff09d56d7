import Foundation
import Testing

@testable import WorkbenchCore

/// Interleaved thinking: a thinking model's tool loop sends the assistant's reasoning back with
/// the tool results (docs.z.ai/guides/capabilities/thinking-mode); other models never get it.
@Suite("Tool loops on thinking models")
struct ThinkingToolLoopTests {
    func reply(reasoning: String, calls: [ToolCall]) -> RunResult {
        let usage = Usage(promptTokens: 10, completionTokens: 5)
        var r = RunResult(
            runId: "r", conversationId: "c", mode: .stream, status: .ok, content: "", toolCalls: calls,
            finishReason: "tool_calls", usage: usage, usageSource: .reported, cost: .unknown(basis: .reported),
            timings: RunTimings(), chunkCount: 3, webSearch: [], contentFilter: [], error: nil, retries: [],
            httpStatus: 200)
        r.reasoning = reasoning
        return r
    }

    func next(model: String, reasoning: String) throws -> JSONValue {
        let call = ToolCall(id: "call_1", name: "add", arguments: #"{"a":2,"b":3}"#)
        let outcome = ToolOutcome(
            callId: "call_1", name: "add", arguments: call.function.arguments, status: .ok,
            result: "5", executor: "fixed")
        let first = ChatRequest(model: model, messages: [.user("2+3?")])
        let req = Session.followUp(
            first, reply: reply(reasoning: reasoning, calls: [call]), calls: [call],
            outcomes: [outcome])
        return try #require(JSONValue.parse(WireJSON.string(req)))
    }

    @Test("glm-4.5 and later get the reasoning_content back on the assistant turn, before the tool result")
    func thinkingModel() throws {
        let body = try next(model: "glm-4.7", reasoning: "I should add them.")
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.count == 3)
        #expect(messages[1]["role"] == .string("assistant"))
        #expect(messages[1]["reasoning_content"] == .string("I should add them."))
        #expect(messages[2]["role"] == .string("tool"))
        #expect(messages[2]["reasoning_content"] == nil)
    }

    @Test("a model without thinking, or a reply without reasoning, sends no reasoning_content")
    func others() throws {
        for (model, reasoning) in [(Provider.glmModel, "stray"), ("glm-4.5", ""), ("my-local-model", "x")] {
            let messages = try #require(try next(model: model, reasoning: reasoning)["messages"]?.arrayValue)
            #expect(messages[1]["reasoning_content"] == nil, "\(model)")
        }
    }

    @Test("the reasoning sent back counts in the prompt estimate")
    func estimated() {
        var m = ChatMessage.assistant("", toolCalls: nil)
        let without = TokenEstimator().estimate(ChatRequest(model: "glm-4.5", messages: [.user("x"), m]))
        m.reasoningContent = String(repeating: "word ", count: 76)
        #expect(TokenEstimator().estimate(ChatRequest(model: "glm-4.5", messages: [.user("x"), m])) == without + 100)
    }
}
