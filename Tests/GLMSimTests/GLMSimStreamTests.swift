import Foundation
import Testing
@testable import GLMSim

/// Real HTTP round trips for the reply scenarios, checking the bytes against zai-api.md §3/§4.
@Suite struct GLMSimStreamTests {
    @Test func textNonStreamEchoesTheConversation() async throws {
        try await withServer { server in
            let r = try await post(server, json: chatBody(stream: false, extra: #","request_id":"req-123456""#))
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == "application/json; charset=UTF-8")
            let body = r.json
            #expect((body["id"] as? String)?.hasSuffix("sim") == true)
            #expect(body["request_id"] as? String == "req-123456")
            #expect(body["model"] as? String == "glm-4-32b-0414-128k")
            let choice = (body["choices"] as? [[String: Any]])?.first
            #expect(choice?["finish_reason"] as? String == "stop")
            let message = choice?["message"] as? [String: Any]
            #expect(message?["content"] as? String == "Hello from GLMSim. You said: Ping. This conversation has 2 messages.")
            let usage = body["usage"] as? [String: Int]
            #expect(usage?["prompt_tokens"] == 3)
            #expect(usage?["total_tokens"] == (usage?["prompt_tokens"] ?? 0) + (usage?["completion_tokens"] ?? 0))
            #expect(r.text.contains(#""choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Hello from GLMSim."#))
        }
    }

    @Test func textStreamMatchesTheWireFormat() async throws {
        try await withServer { server in
            let r = try await post(server, json: chatBody(stream: true))
            #expect(r.status == 200)
            #expect(r.header("Content-Type") == "text/event-stream;charset=UTF-8")
            #expect(r.text.hasSuffix("\n\ndata: [DONE]\n\n"))
            let events = sseEvents(r.text)
            #expect(events.allSatisfy { $0.hasPrefix("data: ") && !$0.contains("\n") })
            let chunks = events.dropLast().map(payload)
            let first = try #require(chunks.first)
            let id = try #require(first["id"] as? String)
            let created = try #require(first["created"] as? Int)
            #expect(events[0] == #"data: {"id":"\#(id)","created":\#(created),"model":"glm-4-32b-0414-128k","choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"}}]}"#)
            #expect(chunks.allSatisfy { $0["id"] as? String == id })
            // finish_reason is absent (not null) on every chunk but the last.
            #expect(events.dropLast(2).allSatisfy { !$0.contains("finish_reason") && !$0.contains("usage") })
            let last = events[events.count - 2]
            #expect(last.contains(#""choices":[{"index":0,"finish_reason":"stop","delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":"#))
            let text = chunks.map { delta($0)["content"] as? String ?? "" }.joined()
            #expect(text == "Hello from GLMSim. You said: Ping. This conversation has 2 messages.")

            // Same request without streaming reports the same usage.
            let plain = try await post(server, json: chatBody(stream: false))
            let plainUsage = try #require(plain.json["usage"] as? [String: Int])
            #expect(plainUsage == chunks.last?["usage"] as? [String: Int])
            #expect(server.requestCount(scenario: "text") == 2)
        }
    }

    @Test func cjkStreamDecodesIntact() async throws {
        try await withServer { server in
            let r = try await post(server, json: chatBody(model: "sim/cjk", stream: true, messages: #"[{"role":"user","content":"天气如何？"}]"#))
            #expect(r.status == 200)
            #expect(String(data: r.body, encoding: .utf8) != nil)
            let text = sseEvents(r.text).dropLast().map { delta(payload($0))["content"] as? String ?? "" }.joined()
            #expect(text == "你好！我是 GLMSim 模拟器。你说：天气如何？。这段对话共有 1 条消息。")
            #expect(sseEvents(r.text).first?.contains(#""model":"sim/cjk""#) == true)
        }
    }

    @Test func toolCallStreamAndNonStream() async throws {
        try await withServer { server in
            let r = try await post(server, scenario: "tool_call", json: chatBody(stream: true))
            let events = sseEvents(r.text)
            #expect(events.count == 3)
            #expect(events[0].hasSuffix(#""choices":[{"index":0,"finish_reason":"tool_calls","delta":{"tool_calls":[{"id":"call_-8303649628005950554","index":0,"type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}}]}}]}"#))
            #expect(events[1].contains(#""choices":[{"index":0,"finish_reason":"tool_calls","delta":{"role":"assistant","content":""}}],"usage":"#))
            #expect(events[2] == "data: [DONE]")

            let plain = try await post(server, scenario: "tool_call", json: chatBody(stream: false))
            let message = (plain.json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any]
            let call = (message?["tool_calls"] as? [[String: Any]])?.first
            #expect(call?["index"] as? Int == 0)
            #expect(call?["type"] as? String == "function")
            let function = call?["function"] as? [String: Any]
            #expect(function?["name"] as? String == "get_weather")
            #expect(function?["arguments"] as? String == #"{"city": "Paris"}"#)

            // A trailing tool result ends the loop with text quoting it.
            let messages = #"[{"role":"user","content":"Weather?"},{"role":"assistant","content":"","tool_calls":[{"id":"call_-8303649628005950554","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"call_-8303649628005950554","content":"18C and sunny"}]"#
            let answer = try await post(server, scenario: "tool_call", json: chatBody(stream: false, messages: messages))
            let content = ((answer.json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
            #expect(content == "The tool said: 18C and sunny")
        }
    }

    @Test func parallelToolsStreamOneCallPerChunk() async throws {
        try await withServer { server in
            let r = try await post(server, json: chatBody(model: "sim/parallel_tools", stream: true))
            let events = sseEvents(r.text)
            #expect(events.count == 5)
            #expect(delta(payload(events[0]))["content"] as? String == "I'll check both.")
            #expect(!events[0].contains("finish_reason"))
            let calls = events[1...2].map { (delta(payload($0))["tool_calls"] as? [[String: Any]])?.first }
            #expect(calls.map { $0?["index"] as? Int } == [0, 1])
            #expect(calls.map { ($0?["function"] as? [String: Any])?["name"] as? String } == ["get_weather", "get_time"])
            #expect(events[3].contains(#""finish_reason":"tool_calls""#) && events[3].contains(#""usage""#))
        }
    }

    @Test func disconnectCutsTheBodyAtByteN() async throws {
        try await withServer { server in
            let r = await rawRequest(port: server.port, headers: ["X-GLMSim-Scenario": "disconnect:300"], body: chatBody(stream: true))
            #expect(r.status == 200)
            #expect(r.body.count == 300)
            #expect(!r.complete)
            #expect(!r.timedOut)
            #expect(!r.text.contains("[DONE]"))
        }
    }

    @Test func stallHoldsTheConnectionOpen() async throws {
        try await withServer { server in
            let start = Date()
            let r = await rawRequest(port: server.port, headers: ["X-GLMSim-Scenario": "stall:2"], body: chatBody(stream: true), readTimeout: 0.5)
            #expect(r.timedOut)
            #expect(!r.complete)
            #expect(sseEvents(r.text).count == 2)
            #expect(Date().timeIntervalSince(start) < 120, "the client gave up at its read timeout, not never")
            // The server is still serving after the client gave up.
            let again = await rawRequest(port: server.port, method: "GET", path: "/health", body: "")
            #expect(again.status == 200)
        }
    }

    @Test func eachScenarioAnswersBothModes() async throws {
        try await withServer { server in
            for name in ["json_mode", "web_search", "sensitive", "network_error", "length", "no_usage", "multi_step", "long:50", "slow:1"] {
                let s = try await post(server, scenario: name, json: chatBody(stream: true))
                let n = try await post(server, scenario: name, json: chatBody(stream: false))
                #expect(s.status == 200 && n.status == 200, "\(name)")
                let streamed = sseEvents(s.text).dropLast().map { delta(payload($0))["content"] as? String ?? "" }.joined()
                let whole = ((n.json["choices"] as? [[String: Any]])?.first?["message"] as? [String: Any])?["content"] as? String
                #expect(streamed == whole, "\(name)")
                let finalChunk = payload(sseEvents(s.text).dropLast().last ?? "")
                let streamedReason = (finalChunk["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String
                #expect(streamedReason == (n.json["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String, "\(name)")
            }
        }
    }
}
