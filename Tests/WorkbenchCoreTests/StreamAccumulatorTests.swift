import Foundation
import Testing
@testable import WorkbenchCore

func accumulate(_ text: String) -> (StreamAccumulator, [StreamItem]) {
    var acc = StreamAccumulator()
    var items: [StreamItem] = []
    let decoder = JSONDecoder()
    for e in parseAll([Array(text.utf8)]) {
        let item = StreamItem.decode(e, decoder: decoder)
        items.append(item)
        if case .chunk(let c) = item { acc.apply(c) }
    }
    return (acc, items)
}

@Suite("Stream accumulator")
struct StreamAccumulatorTests {
    @Test("whole tool calls by index, the last finish reason, usage from the final chunk")
    func recorded() {
        let (acc, items) = accumulate(recordedToolStream)
        #expect(acc.content == "I'll add and multiply. 你好")
        #expect(acc.toolCalls.map(\.function.name) == ["add", "multiply"])
        #expect(acc.toolCalls[0].id == "call_-8303649628005950554")
        #expect(acc.toolCalls[0].function.arguments == "{\"a\": 2, \"b\": 3}")
        #expect(acc.finishReason == "tool_calls")
        #expect(acc.usage == Usage(promptTokens: 282, completionTokens: 178, totalTokens: 460, cachedTokens: 43))
        if case .done = items.last! {} else { Issue.record("last item is not [DONE]") }
    }

    @Test("arguments arriving in fragments are joined by index (tool_stream form)")
    func fragments() {
        let s = """
        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\\"ci"}}]}}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c2","function":{"name":"get_time","arguments":""}}]}}]}

        data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\\": \\"Paris\\"}"}}]}}]}

        data: {"choices":[{"index":0,"finish_reason":"tool_calls","delta":{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]}}]}


        """
        let (acc, _) = accumulate(s)
        #expect(acc.toolCalls == [ToolCall(id: "c1", name: "get_weather", arguments: "{\"city\": \"Paris\"}"),
                                  ToolCall(id: "c2", name: "get_time", arguments: "{}")])
    }

    @Test("sensitive finish with content_filter, web_search results, and an in-band error")
    func sideChannels() {
        let s = """
        data: {"choices":[{"index":0,"delta":{"content":"Bad"}}],"web_search":[{"title":"T","link":"https://e.x","refer":"ref_1","publish_date":"2025-01-01"}]}

        data: {"choices":[{"index":0,"finish_reason":"sensitive","delta":{"content":""}}],"content_filter":[{"role":"assistant","level":1}]}

        data: {"error":{"code":1234,"message":"network error"}}


        """
        let (acc, items) = accumulate(s)
        #expect(acc.finishReason == "sensitive")
        #expect(acc.contentFilter == [ContentFilter(role: "assistant", level: 1)])
        #expect(acc.webSearch.first?.refer == "ref_1")
        #expect(acc.webSearch.first?.publishDate == "2025-01-01")
        guard case .error(let d) = items.last! else { Issue.record("no error item"); return }
        #expect(d.code == "1234")
    }

    @Test("a payload that is not JSON is reported as malformed, not dropped")
    func malformed() {
        let item = StreamItem.decode(SSEEvent(data: "{\"choices\":[{\"delta\":{\"content\":\"brok"), decoder: JSONDecoder())
        guard case .malformed(let reason) = item else { Issue.record("not malformed"); return }
        #expect(reason.contains("invalid JSON"))
    }

    @Test("a non-stream body with arguments as an object still yields a JSON string")
    func absorbBody() throws {
        let body = """
        {"id":"x","request_id":"x","created":1758884776,"model":"glm-4-32b-0414-128k",
         "choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
           "tool_calls":[{"id":"call_1","index":0,"type":"function","function":{"name":"add","arguments":{"b":3,"a":2}}}]}}],
         "usage":{"prompt_tokens":286,"completion_tokens":144,"total_tokens":430}}
        """
        var acc = StreamAccumulator()
        acc.absorb(try JSONDecoder().decode(ChatCompletion.self, from: Data(body.utf8)))
        #expect(acc.toolCalls == [ToolCall(id: "call_1", name: "add", arguments: "{\"a\":2,\"b\":3}")])
        #expect(acc.content == "")
        #expect(acc.usage?.totalTokens == 430)
    }
}
