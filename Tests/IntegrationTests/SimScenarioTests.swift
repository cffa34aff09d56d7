import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchHTTP

@Suite("The real HTTP client against GLMSim", .serialized)
struct SimScenarioTests {
    @Test("plain text: stream and non-stream agree on content and usage", arguments: RunMode.allCases)
    func text(_ mode: RunMode) async throws {
        let rig = try await SimRig.make()
        let c = await runScenario("text", mode: mode, rig: rig, prompt: "Hi there")
        let r = c.result
        #expect(r.status == .ok)
        #expect(r.content.contains("You said: Hi there"))
        #expect(c.deltas == r.content)
        #expect(r.finishReason == "stop")
        #expect(r.usageSource == .reported)
        #expect(r.usage.completionTokens > 0)
        #expect(r.cost.usd == 0)
        #expect(r.cost.wouldCostUSD != nil)
        #expect(r.timings.firstTokenMs != nil && r.timings.totalMs != nil)
        if mode == .stream { #expect(r.chunkCount > 2) } else { #expect(r.chunkCount == 0) }
        try await rig.log.flush()
        let stored = try rig.log.run(id: r.runId)
        #expect(stored.content == r.content)
        #expect(try rig.log.eventCount(runId: r.runId) == c.payloads)
        await rig.close()
    }

    @Test("CJK split across TCP writes arrives whole", arguments: RunMode.allCases)
    func cjk(_ mode: RunMode) async throws {
        let rig = try await SimRig.make()
        let r = await runScenario("cjk", mode: mode, rig: rig, prompt: "你好").result
        #expect(r.status == .ok)
        #expect(r.content.contains("GLMSim"))
        #expect(!r.content.contains("\u{FFFD}"), "no replacement characters")
        await rig.close()
    }

    @Test("one tool call, arguments as a JSON string, finish tool_calls", arguments: RunMode.allCases)
    func toolCall(_ mode: RunMode) async throws {
        let rig = try await SimRig.make()
        let c = await runScenario("tool_call", mode: mode, rig: rig, prompt: "Weather in Paris?")
        let r = c.result
        #expect(r.status == .ok)
        #expect(r.finishReason == "tool_calls")
        #expect(r.toolCalls.count == 1)
        #expect(r.toolCalls.first?.function.name == "get_weather")
        #expect(JSONValue.parse(r.toolCalls.first?.function.arguments ?? "") == .object(["city": .string("Paris")]))
        #expect(r.toolCalls.first?.id.hasPrefix("call_") == true)
        await rig.close()
    }

    @Test("two parallel tool calls keep their order and ids", arguments: RunMode.allCases)
    func parallel(_ mode: RunMode) async throws {
        let rig = try await SimRig.make()
        let r = await runScenario("parallel_tools", mode: mode, rig: rig).result
        #expect(r.toolCalls.map(\.function.name) == ["get_weather", "get_time"])
        #expect(Set(r.toolCalls.map(\.id)).count == 2)
        #expect(r.content.contains("check both"))
        await rig.close()
    }

    @Test("JSON mode content parses as JSON", arguments: RunMode.allCases)
    func jsonMode(_ mode: RunMode) async throws {
        let rig = try await SimRig.make()
        var p = RequestParameters()
        p.jsonMode = true
        let c = await runScenario("json_mode", mode: mode, rig: rig, params: p)
        #expect(JSONValue.parse(c.result.content)?.objectValue != nil)
        if case .started(let s) = c.events.first { #expect(s.requestJSON.contains(#""response_format":{"type":"json_object"}"#)) }
        else { Issue.record("no started event") }
        await rig.close()
    }

    @Test("web_search results arrive and add the per-use price", arguments: RunMode.allCases)
    func webSearch(_ mode: RunMode) async throws {
        let rig = try await SimRig.make()
        let r = await runScenario("web_search", mode: mode, rig: rig).result
        #expect(!r.webSearch.isEmpty)
        #expect(r.webSearch.first?.refer != nil)
        #expect(r.cost.webSearchUses == 1)
        await rig.close()
    }

    @Test("sensitive finish: a content-filter error, text kept in the log but not in history")
    func sensitive() async throws {
        let rig = try await SimRig.make()
        let session = await rig.session()
        var p = RequestParameters()
        p.model = "sim/sensitive"
        let r = await collect(await session.submit("x", parameters: p, mode: .stream)).result
        #expect(r.status == .failed)
        #expect(r.error?.kind == .contentFilter)
        #expect(r.contentFilter.first?.level == 1)
        #expect(!r.content.isEmpty)
        #expect(await session.history.isEmpty)
        await rig.close()
    }

    @Test("every documented error code comes back classified with its HTTP status", arguments: ZAIErrorCatalog.all.map(\.code))
    func errorCodes(_ code: String) async throws {
        let rig = try await SimRig.make()
        let session = await rig.session(retry: .none)
        var p = RequestParameters()
        p.model = "sim/error:\(code)"
        let r = await collect(await session.submit("x", parameters: p, mode: .stream)).result
        let entry = ZAIErrorCatalog.lookup(code)!
        #expect(r.status == .failed)
        #expect(r.error?.kind == .api)
        #expect(r.error?.code == code)
        #expect(r.httpStatus == entry.httpStatus)
        #expect(r.error?.retryable == entry.retryable)
        #expect(r.error?.summary.contains(entry.meaning) == true)
        await rig.close()
    }

    @Test("the flat error form with a numeric code is understood")
    func flatError() async throws {
        let rig = try await SimRig.make()
        let session = await rig.session(retry: .none)
        var p = RequestParameters()
        p.model = "sim/error_flat:1261"
        let r = await collect(await session.submit("x", parameters: p, mode: .nonStream)).result
        #expect(r.error?.code == "1261")
        #expect(r.error?.retryable == false)
        await rig.close()
    }

    @Test("a retryable 429 is retried and succeeds; the attempts are recorded")
    func flaky() async throws {
        let rig = try await SimRig.make()
        // The counters live for the whole shared server, so each key is used by this test only.
        let r = await runScenario("flaky:2", mode: .stream, rig: rig).result
        #expect(r.status == .ok)
        #expect(r.retries.count == 2)
        #expect(r.retries.first?.code == "1305")
        #expect(rig.server.requestCount(scenario: "flaky:2") == 3)
        let r500 = await runScenario("flaky500:1", mode: .nonStream, rig: rig).result
        #expect(r500.status == .ok)
        #expect(r500.retries.map(\.status) == [500])
        await rig.close()
    }

    @Test("1113 (no balance, HTTP 429) is not retried; x-should-retry: false is honoured")
    func notRetried() async throws {
        let rig = try await SimRig.make()
        let r = await runScenario("error:1113", mode: .stream, rig: rig).result
        #expect(r.retries.isEmpty)
        #expect(r.error?.code == "1113")
        let key = "no_retry:1"
        let before = rig.server.requestCount(scenario: key)
        let r2 = await runScenario(key, mode: .stream, rig: rig).result
        #expect(r2.retries.isEmpty)
        #expect(r2.error?.code == "1302")
        #expect(rig.server.requestCount(scenario: key) == before + 1)
        await rig.close()
    }

    @Test("a disconnect mid-stream ends the run interrupted with the partial text kept")
    func disconnect() async throws {
        let rig = try await SimRig.make()
        let r = await runScenario("disconnect:300", mode: .stream, rig: rig).result
        #expect(r.status == .interrupted)
        #expect(r.error?.kind == .interrupted)
        #expect(!r.content.isEmpty)
        await rig.close()
    }

    @Test("a stalled stream hits the read timeout: interrupted, partial kept, not retried")
    func stall() async throws {
        let rig = try await SimRig.make(readTimeout: .milliseconds(700))
        let t0 = Date()
        let r = await runScenario("stall:3", mode: .stream, rig: rig).result
        #expect(r.status == .interrupted)
        #expect(r.error?.message.contains("read timeout") == true)
        #expect(!r.content.isEmpty)
        #expect(r.retries.isEmpty)
        #expect(Date().timeIntervalSince(t0) < 120, "the stalled stream is held open forever; the read timeout ended it")
        await rig.close()
    }

    @Test("a malformed chunk is reported, the rest of the reply kept")
    func malformed() async throws {
        let rig = try await SimRig.make()
        let r = await runScenario("malformed", mode: .stream, rig: rig).result
        #expect(r.status == .failed)
        #expect(r.error?.kind == .malformed)
        #expect(r.error?.message.contains("not valid") == true)
        #expect(r.finishReason == "stop", "chunks after the bad one were still read")
        await rig.close()
    }

    @Test("errors inside the stream (event: error, data: {error}) end the run with the text kept", arguments: ["event_error", "inband_error"])
    func inbandErrors(_ scenario: String) async throws {
        let rig = try await SimRig.make()
        let r = await runScenario(scenario, mode: .stream, rig: rig).result
        #expect(r.status == .interrupted)
        #expect(r.error != nil)
        #expect(!r.content.isEmpty)
        await rig.close()
    }

    @Test("finish reasons network_error and length", arguments: ["network_error", "length"])
    func finishReasons(_ scenario: String) async throws {
        let rig = try await SimRig.make()
        let r = await runScenario(scenario, mode: .stream, rig: rig).result
        #expect(r.finishReason == scenario)
        if scenario == "length" { #expect(r.status == .ok) } else { #expect(r.status == .interrupted && r.error?.retryable == true) }
        await rig.close()
    }

    @Test("EOF without [DONE] after a finish reason is a complete run; no usage means an estimate")
    func eofAndEstimates() async throws {
        let rig = try await SimRig.make()
        #expect(await runScenario("no_done", mode: .stream, rig: rig).result.status == .ok)
        let r = await runScenario("no_usage", mode: .stream, rig: rig).result
        #expect(r.status == .ok)
        #expect(r.usageSource == .estimated)
        #expect(r.usage.completionTokens > 0)
        #expect(r.cost.basis == .estimated)
        await rig.close()
    }

    @Test("CRLF framing with comments and ids parses like LF")
    func crlf() async throws {
        let rig = try await SimRig.make()
        let r = await runScenario("crlf", mode: .stream, rig: rig, prompt: "crlf please").result
        #expect(r.status == .ok)
        #expect(r.content.contains("crlf please"))
        await rig.close()
    }

    @Test("a long reply (5,000 chunks) is assembled and logged whole")
    func long() async throws {
        let rig = try await SimRig.make()
        let c = await runScenario("long:5000", mode: .stream, rig: rig)
        #expect(c.result.status == .ok)
        try await rig.log.flush()
        #expect(try rig.log.eventCount(runId: c.result.runId) == c.payloads)
        #expect(c.payloads >= 5000)
        await rig.close()
    }
}
