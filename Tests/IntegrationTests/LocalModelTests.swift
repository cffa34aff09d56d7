import Foundation
import Testing
import WorkbenchCore
import WorkbenchHTTP

/// Starts (or reuses) the real llama.cpp server with SmolLM2-135M through the project's script,
/// exactly as `glmwb --provider local` does. `make test` prepares it first; a missing model is a
/// failure here, never a skip. Starting it can take a minute: the wait is on a thread of its own.
func localModelURL() async throws -> URL {
    try await onOwnThread { try ensureLocalModel() }
}

private func ensureLocalModel() throws -> URL {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", projectRoot.appendingPathComponent("scripts/local_model.py").path, "ensure"]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    guard p.terminationStatus == 0, let url = URL(string: text) else {
        throw TransportError(.connect, "local model did not start: exit \(p.terminationStatus)")
    }
    return url
}

@Suite("The real HTTP client against the local llama.cpp model", .serialized)
struct LocalModelTests {
    func session() async throws -> (Session, HTTPChatTransport, RunLog) {
        let transport = HTTPChatTransport(readTimeout: .seconds(60))
        let provider = Provider(
            name: "local", kind: .local, baseURL: try await localModelURL(), apiKey: nil,
            defaultModel: Provider.localModel, free: true)
        let log = try RunLog(dataDir: tempDataDir())
        return (Session(provider: provider, transport: transport, log: log), transport, log)
    }

    var short: RequestParameters {
        var p = RequestParameters()
        p.maxTokens = 40
        p.doSample = false
        p.temperature = 0
        return p
    }

    @Test("streaming text: deltas arrive, usage is an estimate (llama.cpp sends none in streams)")
    func streamText() async throws {
        let (s, t, log) = try await session()
        let c = await collect(await s.submit("Say hello in one short sentence.", parameters: short, mode: .stream))
        let r = c.result
        #expect(r.status == .ok, "\(String(describing: r.error))")
        #expect(!r.content.isEmpty)
        #expect(c.deltas == r.content)
        #expect(r.chunkCount > 3)
        #expect(["stop", "length"].contains(r.finishReason ?? ""))
        #expect(r.usageSource == .estimated)
        #expect(r.cost.usd == 0 && r.cost.wouldCostUSD != nil)
        try await log.flush()
        #expect(try log.eventCount(runId: r.runId) == c.payloads)
        try await t.shutdown()
    }

    @Test("non-streaming text with reported usage")
    func nonStreamText() async throws {
        let (s, t, _) = try await session()
        let r = await collect(await s.submit("Name a colour.", parameters: short, mode: .nonStream)).result
        #expect(r.status == .ok)
        #expect(!r.content.isEmpty)
        #expect(r.usageSource == .reported)
        #expect(r.usage.promptTokens > 0 && r.usage.completionTokens > 0)
        try await t.shutdown()
    }

    @Test("a forced function call: arguments assembled from streamed pieces and from the body", arguments: RunMode.allCases)
    func toolCall(_ mode: RunMode) async throws {
        let (s, t, _) = try await session()
        var p = short
        p.maxTokens = 60
        p.tools = [ToolSpec(function: FunctionSpec(name: "get_weather", description: "Get the weather for a city",
                                                   parameters: .object(["type": .string("object"),
                                                                        "properties": .object(["city": .object(["type": .string("string")])]),
                                                                        "required": .array([.string("city")])])))]
        p.toolChoice = .object(["type": .string("function"), "function": .object(["name": .string("get_weather")])])
        let r = await collect(await s.submit("What is the weather in Paris?", parameters: p, mode: mode)).result
        #expect(r.status == .ok, "\(String(describing: r.error))")
        #expect(r.finishReason == "tool_calls")
        let call = try #require(r.toolCalls.first)
        #expect(call.function.name == "get_weather")
        #expect(JSONValue.parse(call.function.arguments)?["city"] != nil, "arguments: \(call.function.arguments)")
        #expect(!call.id.isEmpty)
        try await t.shutdown()
    }

    @Test("JSON mode output parses")
    func jsonMode() async throws {
        let (s, t, _) = try await session()
        var p = short
        p.maxTokens = 80
        p.jsonMode = true
        let r = await collect(await s.submit("Give a JSON object with keys name and age for a cat.", parameters: p, mode: .nonStream)).result
        #expect(r.status == .ok)
        if r.finishReason == "stop" { #expect(JSONValue.parse(r.content)?.objectValue != nil, "content: \(r.content)") }
        else { #expect(r.finishReason == "length") }
        try await t.shutdown()
    }
}
