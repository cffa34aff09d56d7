import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Wire types")
struct WireTypesTests {
    @Test("a request sends only the fields that were set, in snake_case")
    func requestEncoding() throws {
        var r = ChatRequest(model: "glm-4-32b-0414-128k", messages: [.system("s"), .user("u")], stream: true)
        r.topP = 0.5
        r.doSample = false
        r.maxTokens = 10
        r.responseFormat = .jsonObject
        let text = WireJSON.string(r)
        #expect(text == #"{"do_sample":false,"max_tokens":10,"messages":[{"content":"s","role":"system"},{"content":"u","role":"user"}],"model":"glm-4-32b-0414-128k","response_format":{"type":"json_object"},"stream":true,"top_p":0.5}"#)
        let back = try JSONDecoder().decode(ChatRequest.self, from: Data(text.utf8))
        #expect(back == r)
    }

    @Test("an assistant turn with tool calls sends an empty content string, and tool messages echo the id")
    func toolHistory() {
        let m = ChatMessage.assistant(nil, toolCalls: [ToolCall(id: "call_-1", name: "f", arguments: "{}")])
        #expect(WireJSON.string(m) == #"{"content":"","role":"assistant","tool_calls":[{"function":{"arguments":"{}","name":"f"},"id":"call_-1","type":"function"}]}"#)
        #expect(WireJSON.string(ChatMessage.tool("42", callId: "call_-1")) == #"{"content":"42","role":"tool","tool_call_id":"call_-1"}"#)
    }

    @Test("`stop` may be a bare string")
    func stopString() throws {
        let r = try JSONDecoder().decode(ChatRequest.self, from: Data(#"{"model":"m","messages":[],"stop":"END"}"#.utf8))
        #expect(r.stop == ["END"])
    }

    @Test("error bodies: nested string code, numeric code, flat form, contentFilter sibling", arguments: [
        (#"{"error":{"code":"1214","message":"Input cannot be empty"}}"#, "1214"),
        (#"{"error":{"code":1113,"message":"余额不足"}}"#, "1113"),
        (#"{"code":1261,"message":"Prompt too long","request_id":"x"}"#, "1261"),
        (#"{"contentFilter":[{"level":1,"role":"user"}],"error":{"code":"1301","message":"unsafe"}}"#, "1301"),
    ])
    func errorBodies(_ body: String, _ code: String) throws {
        let e = try #require(APIErrorBody.parse(Array(body.utf8)))
        #expect(e.detail.code == code)
        if code == "1301" { #expect(e.contentFilter == [ContentFilter(role: "user", level: 1)]) }
    }

    @Test("a body that is not an error is not mistaken for one")
    func notAnError() {
        #expect(APIErrorBody.parse(Array(#"{"choices":[]}"#.utf8)) == nil)
        #expect(APIErrorBody.parse(Array("<html>".utf8)) == nil)
    }

    @Test("client-side validation catches what Z.AI rejects with 1210/1214")
    func validation() {
        var r = ChatRequest(model: "m", messages: [])
        #expect(r.validationErrors() == ["messages is empty"])
        r.messages = [.system("only system")]
        r.temperature = 1.5
        r.topP = 0
        #expect(r.validationErrors().count == 3)
    }
}
