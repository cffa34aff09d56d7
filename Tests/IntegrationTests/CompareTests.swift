import Foundation
import Testing
import WorkbenchCore
import WorkbenchHTTP

/// Streaming against non-streaming through the real client: GLMSim where the modes agree and
/// where they differ, the local model greedy, and `glmwb compare --json`.
@Suite("Compare streaming and non-streaming")
struct CompareTests {
    func compare(_ scenario: String, sequential: Bool = false, repeats: Int = 1) async throws -> (ComparisonReport, CompareCollector) {
        let rig = try await SimRig.make()
        let session = await rig.session()
        let req = ChatRequest(model: "sim/" + scenario, messages: [.user("Tell me about foxes")])
        var c = CompareCollector()
        for await batches in await session.compare(req, sequential: sequential, repeats: repeats) { for b in batches { c.add(b) } }
        await rig.close()
        return (try #require(c.report(for: req)), c)
    }

    @Test("the modes agree on GLMSim's text scenario, concurrently and sequentially", arguments: [false, true])
    func agree(sequential: Bool) async throws {
        let (r, _) = try await compare("text", sequential: sequential)
        #expect(r.differences.isEmpty, "\(r.differences)")
        #expect(r.stream.chunkCount > 1)
        #expect(r.stream.ttftMs != nil)
        #expect(r.nonStream.ttftMs == nil)
    }

    @Test("differences are found: text, tool calls, usage", arguments: [("diverge:text", ["content"]), ("diverge:tools", ["tool_calls"]), ("diverge:usage", ["usage"])])
    func differ(scenario: String, expected: [String]) async throws {
        let (r, _) = try await compare(scenario)
        for e in expected { #expect(r.differences.contains(e), "\(scenario): \(r.differences)") }
        if scenario == "diverge:text" { #expect(r.wordDiff.contains(.added("brown ")) && r.wordDiff.contains(.removed("red "))) }
    }

    @Test("concurrent runs overlap; sequential ones do not")
    func overlap() async throws {
        // Orderings, not durations: concurrently, the non-streaming request starts before the
        // stream has ended; sequentially, only after it.
        func spans(_ sequential: Bool) async throws -> (streamEnd: Date, bodyStart: Date) {
            let rig = try await SimRig.make()
            let session = await rig.session()
            let req = ChatRequest(model: "sim/slow:30", messages: [.user("Tell me about foxes")])
            var starts: [RunMode: Date] = [:]
            var ends: [RunMode: Date] = [:]
            for await batches in await session.compare(req, sequential: sequential) {
                for b in batches {
                    for e in b.events {
                        if case .started(let s) = e { starts[b.mode] = s.startedAt }
                        if let r = e.result, let s = starts[b.mode] { ends[b.mode] = s.addingTimeInterval((r.timings.totalMs ?? 0) / 1000) }
                    }
                }
            }
            await rig.close()
            return (try #require(ends[.stream]), try #require(starts[.nonStream]))
        }
        let concurrent = try await spans(false)
        #expect(concurrent.bodyStart < concurrent.streamEnd)
        let sequential = try await spans(true)
        #expect(sequential.bodyStart >= sequential.streamEnd)
    }

    @Test("repeat 3: each mode runs 3 times; identical answers are grouped")
    func repeats() async throws {
        let (_, c) = try await compare("text", repeats: 3)
        #expect(c.results.count == 6)
        #expect(c.groups.count == 1)
        #expect(c.groups[0].streamRuns.count == 3 && c.groups[0].nonStreamRuns.count == 3)
    }

    @Test("the local model with do_sample false: a deterministic comparison of the two modes")
    func localGreedy() async throws {
        let url = try await localModelURL()
        let transport = HTTPChatTransport(readTimeout: .seconds(120))
        defer { Task { try? await transport.shutdown() } }
        let session = Session(provider: Provider(name: "local", kind: .local, baseURL: url, apiKey: nil, defaultModel: Provider.localModel, free: true),
                              transport: transport, log: nil)
        var req = ChatRequest(model: Provider.localModel, messages: [.user("Name three colours.")])
        req.doSample = false
        req.temperature = 0
        req.maxTokens = 24
        var c = CompareCollector()
        for await batches in await session.compare(req, sequential: true) { for b in batches { c.add(b) } }
        let r = try #require(c.report(for: req))
        #expect(r.stream.status == .ok && r.nonStream.status == .ok)
        #expect(!r.samplingOn)
        #expect(!r.stream.content.isEmpty)
        #expect(r.textIdentical, "greedy decoding gave different text: \(r.stream.content) | \(r.nonStream.content)")
    }

    @Test("glmwb compare --json: stream and non_stream are run records, differences names the fields; the comparison is logged")
    func cli() async throws {
        let dir = tempDataDir()
        let r = try await glmwb([
            "compare", "--provider", "sim", "--scenario", "diverge:text", "--data-dir", dir, "--json", "Foxes?",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(JSONValue.parse(r.stdout))
        #expect(o["stream"]?["mode"]?.stringValue == "stream")
        #expect(o["non_stream"]?["mode"]?.stringValue == "non_stream")
        #expect(o["stream"]?["run_id"]?.stringValue != nil)
        #expect(o["stream"]?["usage"]?["prompt_tokens"] != nil)
        #expect(o["differences"]?.arrayValue == [.string("content")])
        #expect(o["sampling"] == .bool(true))
        let text = try await glmwb([
            "compare", "--provider", "sim", "--data-dir", dir, "--repeat", "2", "--sequential", "Hi",
        ])
        #expect(text.status == 0)
        #expect(text.stdout.contains("time to first token"))
        #expect(text.stdout.contains("2× each mode"))
        #expect(text.stdout.contains("agree"))
        // Tools are offered to both modes and their calls compared (never run).
        let tools = tempDataDir() + "/tools.yaml"
        try
            "- name: get_weather\n  description: Weather\n  parameters: {type: object, properties: {city: {type: string}}}\n  command: [/bin/false]\n"
            .write(toFile: tools, atomically: true, encoding: .utf8)
        let calls = try await glmwb([
            "compare", "--provider", "sim", "--scenario", "diverge:tools", "--tools", tools, "--data-dir", dir,
            "--json", "Weather?",
        ])
        let c = try #require(JSONValue.parse(calls.stdout))
        #expect(c["differences"]?.arrayValue == [.string("tool_calls")])
        #expect(c["stream"]?["request"]?["tools"]?.arrayValue?.count == 1)
        let logged = try await glmwb(["logs", "comparisons", "--json", "--data-dir", dir])
        let list = try #require(JSONValue.parse(logged.stdout)?.arrayValue)
        #expect(list.count == 3)
        #expect(list.contains { $0["differences"]?.arrayValue == [.string("content")] })
    }
}
