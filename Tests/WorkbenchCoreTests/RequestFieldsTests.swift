import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// thinking, reasoning_effort, tool_stream, request_id and user_id: sent where the model table
/// says the model takes them, checked before sending.
@Suite("Request fields: thinking, reasoning_effort, tool_stream, ids")
struct RequestFieldsTests {
    func request(_ model: String) -> ChatRequest {
        var p = RequestParameters()
        p.thinking = true
        p.reasoningEffort = "high"
        p.toolStream = true
        var r = ChatRequest(model: model, messages: [.user("x")])
        p.apply(to: &r)
        return r
    }

    @Test("on the wire: thinking {type}, reasoning_effort, tool_stream, request_id, user_id")
    func wire() throws {
        var p = RequestParameters()
        p.thinking = false
        p.reasoningEffort = "low"
        p.toolStream = true
        p.requestId = "req-123456"
        p.userId = "user-42"
        var r = ChatRequest(model: "glm-4.6", messages: [.user("x")])
        p.apply(to: &r)
        let sent = try #require(JSONValue.parse(WireJSON.string(r)))
        #expect(sent["thinking"] == .object(["type": .string("disabled")]))
        #expect(sent["reasoning_effort"] == .string("low"))
        #expect(sent["tool_stream"] == .bool(true))
        #expect(sent["request_id"] == .string("req-123456"))
        #expect(sent["user_id"] == .string("user-42"))
        let back = try JSONDecoder().decode(ChatRequest.self, from: Data(WireJSON.string(r).utf8))
        #expect(back == r)
        let plain = try #require(
            JSONValue.parse(WireJSON.string(ChatRequest(model: "glm-4.6", messages: [.user("x")]))))
        #expect(plain["thinking"] == nil && plain["tool_stream"] == nil, "nothing set, nothing sent")
    }

    @Test("each field is dropped, with one note, where the model table says the model does not take it")
    func dropped() {
        var old = request(Provider.glmModel)
        let notes = old.dropUnaccepted()
        #expect(old.thinking == nil && old.reasoningEffort == nil && old.toolStream == nil)
        #expect(
            notes == [
                "thinking, reasoning_effort, tool_stream not sent: glm-4-32b-0414-128k does not take it (model table)"
            ])
        var g45 = request("glm-4.5")
        #expect(g45.dropUnaccepted().first?.hasPrefix("reasoning_effort, tool_stream not sent") == true)
        #expect(g45.thinking == ThinkingSetting(enabled: true))
        var g46 = request("glm-4.6")
        _ = g46.dropUnaccepted()
        #expect(g46.toolStream == true && g46.thinking != nil)
        var unknown = request("my-local-model")
        #expect(unknown.dropUnaccepted().isEmpty, "a model the table does not know gets what was set")
        #expect(unknown.reasoningEffort == "high")
        var none = ChatRequest(model: Provider.glmModel, messages: [.user("x")])
        #expect(none.dropUnaccepted().isEmpty)
    }

    @Test("the session drops them before sending and says so once in the run's start")
    func session() async throws {
        let transport = ScriptedTransport(.sse(WireFixtures.textStream(["ok"])))
        let session = await Session.scripted(transport)
        var p = RequestParameters()
        p.thinking = true
        let run = await collect(await session.submit("hi", parameters: p, mode: .stream))
        #expect(run.result.status == .ok)
        let body = try #require(JSONValue.parse(String(decoding: transport.requests[0].body, as: UTF8.self)))
        #expect(body["thinking"] == nil)
        let starts = run.events.compactMap { if case .started(let s) = $0 { return s } else { return nil } }
        #expect(starts.first?.notes.first?.contains("thinking not sent") == true)
    }

    @Test(
        "refused before sending: tool_choice without tools, two stop words, ids of the wrong length",
        arguments: [
            ("tool_choice", "without tools"), ("stop", "one stop word"),
            ("response_format", "takes text or json_object"), ("request_id", "request_id is 5 characters"),
            ("request_id_long", "request_id is 65 characters"), ("user_id", "user_id is 129 characters"),
        ])
    func invalid(_ field: String, _ says: String) {
        var r = ChatRequest(model: Provider.glmModel, messages: [.user("x")])
        switch field {
        case "tool_choice": r.toolChoice = .string("auto")
        case "stop": r.stop = ["a", "b"]
        case "response_format": r.responseFormat = ResponseFormat(type: "json_schema")
        case "request_id": r.requestId = "12345"
        case "request_id_long": r.requestId = String(repeating: "r", count: 65)
        default: r.userId = String(repeating: "u", count: 129)
        }
        #expect(
            r.validationErrors(glmRules: true).contains { $0.contains(says) }, "\(r.validationErrors(glmRules: true))")
        var ok = ChatRequest(model: Provider.glmModel, messages: [.user("x")])
        ok.requestId = "123456"
        ok.userId = String(repeating: "u", count: 128)
        ok.stop = ["END"]
        #expect(ok.validationErrors(glmRules: true).isEmpty)
    }

    @Test("the template fields")
    func template() throws {
        let text =
            "---\nmodel: glm-4.6\nthinking: off\nreasoning_effort: medium\ntool_stream: true\nrequest_id: req-0001\n"
            + "user_id: user-0001\n---\nHi"
        let t = try TemplateParser.parse(text, name: "t", path: "t.md")
        #expect(t.thinking == false && t.reasoningEffort == "medium" && t.toolStream == true)
        #expect(t.requestId == "req-0001" && t.userId == "user-0001")
        let r = try TemplateRenderer.render(t, values: [:])
        #expect(r.parameters.thinking == false && r.parameters.toolStream == true && r.parameters.userId == "user-0001")
        #expect(throws: (any Error).self) {
            try TemplateParser.parse("---\nthinking: maybe\n---\nHi", name: "t", path: "t.md")
        }
        #expect(throws: (any Error).self) {
            try TemplateParser.parse("---\nreasoning_effort: max\n---\nHi", name: "t", path: "t.md")
        }
    }
}

@Suite("Request fields saved as a template")
struct RequestFieldsSnapshotTests {
    @Test("F6 writes thinking, reasoning_effort, tool_stream and the ids; the template reads them back")
    func roundTrip() throws {
        var p = RequestParameters()
        p.model = "glm-4.6"
        p.thinking = true
        p.reasoningEffort = "medium"
        p.toolStream = true
        p.requestId = "req-000001"
        p.userId = "user-000001"
        let text = PromptSnapshot(description: "d", system: nil, user: "Hi", parameters: p).templateText
        let t = try TemplateParser.parse(text, name: "saved", path: "saved.md")
        #expect(t.thinking == true && t.reasoningEffort == "medium" && t.toolStream == true, "\(text)")
        #expect(t.requestId == "req-000001" && t.userId == "user-000001")
        p.thinking = false
        let off = try TemplateParser.parse(
            PromptSnapshot(description: "d", system: nil, user: "Hi", parameters: p).templateText, name: "s",
            path: "s.md")
        #expect(off.thinking == false)
    }
}
