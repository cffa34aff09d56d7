import Foundation
import Testing
import WorkbenchCore
@testable import GLMSim

/// Socket-free checks of routing, scripting and framing.
@Suite struct SimScriptTests {
    let state = SimServerState(defaultScenario: "text")

    func respond(_ scenario: String, stream: Bool, messages: String? = nil) -> SimResponse {
        let body = messages.map { chatBody(stream: stream, messages: $0) } ?? chatBody(stream: stream)
        return SimRouter.respond(method: "POST", uri: "/api/paas/v4/chat/completions", headerScenario: scenario, body: Array(body.utf8), state: state)
    }

    func status(_ r: SimResponse) -> Int? {
        if case .head(let status, _) = r.steps.first?.part { return status }
        return nil
    }

    func header(_ r: SimResponse, _ name: String) -> String? {
        guard case .head(_, let headers) = r.steps.first?.part else { return nil }
        return headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    @Test func everyCatalogCodeHasItsStatusAndBody() {
        for entry in ZAIErrorCatalog.all {
            let r = respond("error:\(entry.code)", stream: true)
            #expect(status(r) == entry.httpStatus, "\(entry.code)")
            let body = String(decoding: r.bodyBytes, as: UTF8.self)
            let error = #""error":{"code":"\#(entry.code)","message":"\#(entry.meaning)"}"#
            if entry.code == "1301" {
                #expect(body == #"{"contentFilter":[{"level":1,"role":"user"}],\#(error)}"#)
            } else {
                #expect(body == "{\(error)}")
            }
            #expect((header(r, "Retry-After") == "0") == ["1302", "1303", "1305"].contains(entry.code), "\(entry.code)")
            let flat = respond("error_flat:\(entry.code)", stream: false)
            #expect(String(decoding: flat.bodyBytes, as: UTF8.self) == #"{"code":\#(entry.code),"message":"\#(entry.meaning)"}"#)
        }
        #expect(status(respond("error:42", stream: false)) == 400)
        #expect(status(respond("no_such_scenario", stream: false)) == 400)
    }

    @Test func cjkSplitsACharacterAcrossTwoWrites() {
        let r = respond("cjk", stream: true)
        let bodies = r.steps.compactMap { step -> ([UInt8], Int)? in
            if case .body(let b) = step.part { return (b, step.delayMilliseconds) }
            return nil
        }
        #expect(bodies.count == 2)
        #expect(String(bytes: bodies[0].0, encoding: .utf8) == nil)
        #expect(bodies[1].1 > 0)
        #expect(String(bytes: bodies.flatMap(\.0), encoding: .utf8) != nil)
    }

    @Test func multiStepWalksTwoTools() {
        func text(_ r: SimResponse) -> String { String(decoding: r.bodyBytes, as: UTF8.self) }
        let user = #"{"role":"user","content":"Weather and time in Paris?"}"#
        let call1 = #"{"role":"assistant","content":"","tool_calls":[{"id":"a","type":"function","function":{"name":"get_weather","arguments":"{}"}}]}"#
        let result1 = #"{"role":"tool","tool_call_id":"a","content":"Paris: 18C"}"#
        let call2 = #"{"role":"assistant","content":"","tool_calls":[{"id":"b","type":"function","function":{"name":"get_time","arguments":"{}"}}]}"#
        let result2 = #"{"role":"tool","tool_call_id":"b","content":"14:00"}"#
        #expect(text(respond("multi_step", stream: false, messages: "[\(user)]")).contains("get_weather"))
        #expect(text(respond("multi_step", stream: false, messages: "[\(user),\(call1),\(result1)]")).contains("get_time"))
        let last = text(respond("multi_step", stream: false, messages: "[\(user),\(call1),\(result1),\(call2),\(result2)]"))
        #expect(last.contains("Both tools answered: Paris: 18C | 14:00") && !last.contains("tool_calls"))
    }

    @Test func streamFaults() {
        let malformed = String(decoding: respond("malformed", stream: true).bodyBytes, as: UTF8.self)
        #expect(malformed.contains("\n\ndata: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"brok\n\n"))
        #expect(malformed.hasSuffix("data: [DONE]\n\n"))

        let eventError = respond("event_error", stream: true)
        #expect(String(decoding: eventError.bodyBytes, as: UTF8.self).hasSuffix("event: error\ndata: {\"error\":{\"code\":\"1234\",\"message\":\"network error\"}}\n\n"))
        #expect(eventError.ending == .endAndClose)

        let inband = String(decoding: respond("inband_error", stream: true).bodyBytes, as: UTF8.self)
        #expect(inband.hasSuffix("\n\ndata: {\"error\":{\"code\":\"500\",\"message\":\"internal error\"}}\n\n"))

        let noDone = respond("no_done", stream: true)
        #expect(!String(decoding: noDone.bodyBytes, as: UTF8.self).contains("[DONE]"))

        let crlf = String(decoding: respond("crlf", stream: true).bodyBytes, as: UTF8.self)
        #expect(crlf.hasPrefix(": keep-alive\r\n\r\nid: 1\r\ndata: {"))
        #expect(crlf.hasSuffix("\r\n\r\ndata: [DONE]\r\n\r\n"))

        let sensitive = String(decoding: respond("sensitive", stream: true).bodyBytes, as: UTF8.self)
        #expect(sensitive.contains(#""finish_reason":"sensitive","delta":{"role":"assistant","content":""}}],"usage":"#))
        #expect(sensitive.contains(#","content_filter":[{"role":"assistant","level":1}]}"#))

        let search = sseEvents(String(decoding: respond("web_search", stream: true).bodyBytes, as: UTF8.self))
        #expect(search[0].contains(#""web_search":[{"title":"#) && !search[1].contains("web_search"))

        let slow = respond("slow:7", stream: true)
        #expect(slow.steps.filter { $0.delayMilliseconds == 7 }.count == 41)
        let long = respond("long", stream: true)
        #expect(sseEvents(String(decoding: long.bodyBytes, as: UTF8.self)).count == 2000 + 2)
        #expect(long.steps.count < 100, "undelayed events are written in batches")
    }

    @Test func scenarioKeys() {
        #expect(SimScenario(key: "slow:50") == .slow(milliseconds: 50))
        #expect(SimScenario(key: "disconnect") == .disconnect(afterBytes: 200))
        #expect(SimScenario(key: "flaky:x") == nil)
        #expect(SimScenario(key: "diverge") == .diverge(what: "text"))
        #expect(SimScenario(key: "diverge:usage") == .diverge(what: "usage"))
        #expect(SimScenario(key: "diverge:other") == nil)
        #expect(SimRouter.scenarioKey(header: nil, model: "sim/cjk", default: "text") == "cjk")
        #expect(SimRouter.scenarioKey(header: "error:1113", model: "sim/cjk", default: "text") == "error:1113")
        #expect(SimRouter.scenarioKey(header: nil, model: "glm-4-32b-0414-128k", default: "text") == "text")
        for info in GLMScenarios.all {
            let key = info.name.replacingOccurrences(of: ":CODE", with: ":1113").replacingOccurrences(of: ":N", with: "").replacingOccurrences(of: ":MS", with: "").replacingOccurrences(of: ":WHAT", with: ":tools")
            #expect(SimScenario(key: key) != nil, "\(info.name)")
        }
        #expect(SimScript.wordChunks("Hello from  GLMSim.") == ["Hello", " from", "  GLMSim."])
    }
}
