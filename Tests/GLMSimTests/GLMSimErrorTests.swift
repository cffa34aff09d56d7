import Foundation
import Testing
import WorkbenchCore
@testable import GLMSim

/// Error paths over HTTP: statuses, exact Z.AI error bodies, retry headers and counts.
@Suite struct GLMSimErrorTests {
    @Test func insufficientBalanceIs429() async throws {
        try await withServer { server in
            let r = try await post(server, scenario: "error:1113", json: chatBody(stream: true))
            #expect(r.status == 429)
            #expect(r.text == #"{"error":{"code":"1113","message":"insufficient balance or no resource package"}}"#)
            #expect(r.header("Retry-After") == nil)
        }
    }

    @Test func validationErrors() async throws {
        try await withServer { server in
            let cases: [(String, String)] = [
                ("not json", #"{"error":{"code":"1214","message":"request body is not a valid JSON object"}}"#),
                (#"{"messages":[{"role":"user","content":"hi"}]}"#, #"{"error":{"code":"1213","message":"model is required"}}"#),
                (#"{"model":"m","messages":[]}"#, #"{"error":{"code":"1214","message":"messages must not be empty"}}"#),
                (chatBody(stream: false, extra: #","temperature":1.5"#), #"{"error":{"code":"1214","message":"temperature must be between 0 and 1"}}"#),
                (chatBody(stream: false, extra: #","top_p":0"#), #"{"error":{"code":"1214","message":"top_p must be between 0.01 and 1"}}"#),
                (chatBody(stream: false, extra: #","max_tokens":20000"#), #"{"error":{"code":"1214","message":"max_tokens must be between 1 and 16384"}}"#),
                (chatBody(model: "glm-4.6", stream: false, extra: #","max_tokens":140000"#),
                    #"{"error":{"code":"1214","message":"max_tokens must be between 1 and 131072"}}"#),
            ]
            for (body, expected) in cases {
                let r = try await post(server, json: body)
                #expect(r.status == 400)
                #expect(r.text == expected)
            }
            #expect(server.requestCount(scenario: "text") == 0)
        }
    }

    @Test func unknownRouteIs404AndHealthIsUp() async throws {
        try await withServer { server in
            let missing = await rawRequest(port: server.port, method: "GET", path: "/nope", body: "")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"error":{"code":"1222","message":"API does not exist"}}"#)
            let health = await rawRequest(port: server.port, method: "GET", path: "/health", body: "")
            #expect(health.status == 200)
            let models = await rawRequest(port: server.port, method: "GET", path: "/v1/models", body: "")
            #expect(models.status == 200 && models.text.contains("sim/tool_call"))
            let openAI = await rawRequest(port: server.port, path: "/v1/chat/completions", body: chatBody(stream: false))
            #expect(openAI.status == 200 && openAI.complete)
        }
    }

    @Test func flakyFailsThenSucceedsAndCounts() async throws {
        try await withServer { server in
            let first = try await post(server, scenario: "flaky:1", json: chatBody(stream: true))
            #expect(first.status == 429)
            #expect(first.header("Retry-After") == "0")
            #expect(first.text == #"{"error":{"code":"1305","message":"rate limited or model overloaded"}}"#)
            let second = try await post(server, scenario: "flaky:1", json: chatBody(stream: true))
            #expect(second.status == 200)
            #expect(second.text.hasSuffix("data: [DONE]\n\n"))
            #expect(server.requestCount(scenario: "flaky:1") == 2)
            #expect(server.requestCount(scenario: "flaky:2") == 0)

            let noRetry = try await post(server, json: chatBody(model: "sim/no_retry:1", stream: false))
            #expect(noRetry.status == 429)
            #expect(noRetry.header("x-should-retry") == "false")
        }
    }
}
