import Foundation
import Testing
import WorkbenchCore
import WorkbenchHTTP

/// `glmwb run` running tool loops, and the loop against the real local model.
@Suite("Tool loops from the command line and on the local model")
struct ToolCLITests {
    func toolsFile() throws -> String {
        let dir = tempDataDir()
        let path = dir + "/tools.yaml"
        try """
        tools:
          - name: get_weather
            description: Weather for a city
            parameters: {type: object, properties: {city: {type: string}}, required: [city]}
            command: [/bin/cat]
          - name: get_time
            description: The time in a timezone
            static: {time: "14:05"}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("run --tools --approve all: every call and result on stderr; --json has every step with its tool results")
    func jsonSteps() async throws {
        let dir = tempDataDir()
        let r = try await glmwb(
            [
                "run", "--provider", "sim", "--model", "sim/multi_step", "--tools", try toolsFile(), "--approve", "all",
                "--data-dir", dir, "--json", "Weather and time in Paris?",
            ], env: ["XDG_CONFIG_HOME": tempDataDir()])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(JSONValue.parse(r.stdout))
        #expect(obj["content"]?.stringValue?.hasPrefix("Both tools answered") == true)
        let steps = try #require(obj["steps"]?.arrayValue)
        #expect(steps.count == 3)
        #expect(steps[0]["tool_results"]?.arrayValue?.first?["name"]?.stringValue == "get_weather")
        #expect(steps[0]["tool_results"]?.arrayValue?.first?["status"]?.stringValue == "ok")
        #expect(steps[1]["tool_results"]?.arrayValue?.first?["result"]?.stringValue == #"{"time":"14:05"}"#)
        #expect(steps[2]["tool_results"]?.arrayValue?.isEmpty == true)
        #expect(steps[1]["parent_run_id"]?.stringValue == steps[0]["run_id"]?.stringValue)

        let plain = try await glmwb(
            [
                "run", "--provider", "sim", "--model", "sim/multi_step", "--tools", try toolsFile(), "--approve", "all",
                "--data-dir", dir, "Weather?",
            ], env: ["XDG_CONFIG_HOME": tempDataDir()])
        #expect(plain.stderr.contains(#"▸ get_weather(city: "Paris") → ok"#))
        #expect(plain.stderr.contains("tool loop finished after 3 requests"))
    }

    @Test("--web-search offers Z.AI's search; logs show lists a loop step's tool results")
    func webSearchAndShow() async throws {
        let dir = tempDataDir()
        let r = try await glmwb([
            "run", "--provider", "sim", "--scenario", "web_search", "--web-search", "--data-dir", dir, "--json",
            "News?",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(JSONValue.parse(r.stdout))
        let tools = try #require(o["request"]?["tools"]?.arrayValue)
        #expect(tools.first?["type"]?.stringValue == "web_search")
        #expect(tools.first?["web_search"]?["search_result"] == .bool(true))
        let loop = try await glmwb(
            [
                "run", "--provider", "sim", "--model", "sim/multi_step", "--tools", try toolsFile(), "--approve", "all",
                "--data-dir", dir, "--json", "Weather?",
            ], env: ["XDG_CONFIG_HOME": tempDataDir()])
        let first = try #require(JSONValue.parse(loop.stdout)?["steps"]?.arrayValue?.first?["run_id"]?.stringValue)
        let show = try await glmwb(["logs", "show", first, "--data-dir", dir])
        #expect(show.stdout.contains("### tool results"))
        #expect(show.stdout.contains(#"▸ get_weather(city: "Paris") → ok"#))
        let showJSON = try #require(
            JSONValue.parse(try await glmwb(["logs", "show", first, "--json", "--data-dir", dir]).stdout))
        #expect(showJSON["tool_results"]?.arrayValue?.first?["name"]?.stringValue == "get_weather")
    }

    @Test("--approve none answers with a denial; the step limit exits 1 and says so")
    func deniedAndLimit() async throws {
        let r = try await glmwb(
            [
                "run", "--provider", "sim", "--model", "sim/tool_forever", "--tools", try toolsFile(), "--approve",
                "none",
                "--max-steps", "2", "--data-dir", tempDataDir(), "Weather?",
            ], env: ["XDG_CONFIG_HOME": tempDataDir()])
        #expect(r.status == 1)
        #expect(r.stderr.contains("→ denied"))
        #expect(r.stderr.contains("step limit (2 requests)"))
    }

    @Test("--approve ask without a terminal denies instead of hanging")
    func askWithoutTerminal() async throws {
        let r = try await glmwb(
            [
                "run", "--provider", "sim", "--model", "sim/tool_call", "--tools", try toolsFile(),
                "--data-dir", tempDataDir(), "Weather?",
            ], env: ["XDG_CONFIG_HOME": tempDataDir()])
        #expect(r.status == 0)
        #expect(r.stderr.contains("no terminal to ask whether get_weather may run: denied (pass --approve all to allow)"))
        #expect(r.stderr.contains("→ denied"))
    }

    @Test("glmwb run with `- mcp: demo` in the tools file starts the configured MCP server and calls its tool")
    func mcpFromConfig() async throws {
        let home = tempDataDir()
        try FileManager.default.createDirectory(atPath: home + "/glmwb", withIntermediateDirectories: true)
        try "mcp_servers:\n  demo: {command: [\"\(mcpDemoServerPath)\"]}\n".write(toFile: home + "/glmwb/config.yaml", atomically: true, encoding: .utf8)
        let tools = home + "/tools.yaml"
        try "tools:\n  - mcp: demo\n".write(toFile: tools, atomically: true, encoding: .utf8)
        let r = try await glmwb(
            [
                "run", "--provider", "sim", "--scenario", "first_tool", "--tools", tools, "--approve", "all",
                "--data-dir", tempDataDir(), "--json", "Add two and two",
            ], env: ["XDG_CONFIG_HOME": home])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(JSONValue.parse(r.stdout))
        let first = try #require(o["steps"]?.arrayValue?.first?["tool_results"]?.arrayValue?.first)
        #expect(first["executor"]?.stringValue == "mcp demo")
        #expect(first["status"]?.stringValue == "ok")
        let bad = try await glmwb(
            [
                "run", "--provider", "sim", "--scenario", "first_tool", "--tools", tools, "--data-dir", tempDataDir(),
                "Hi",
            ],
            env: ["XDG_CONFIG_HOME": tempDataDir()])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("no MCP server named demo"))
    }

    @Test("the local llama.cpp model honours a forced function, the loop answers it and asks again without forcing")
    func localForcedFunction() async throws {
        let url = try await localModelURL()
        let transport = HTTPChatTransport(readTimeout: .seconds(120))
        defer { Task { try? await transport.shutdown() } }
        let provider = Provider(name: "local", kind: .local, baseURL: url, apiKey: nil, defaultModel: Provider.localModel, free: true)
        let log = try RunLog(dataDir: tempDataDir())
        let session = Session(provider: provider, transport: transport, log: log)
        let weather = ToolDefinition(spec: ToolSpec(function: FunctionSpec(name: "get_weather", description: "Current weather for a city",
            parameters: .object(["type": .string("object"), "properties": .object(["city": .object(["type": .string("string")])])]))),
            executor: .fixed(.object(["city": .string("Paris"), "temp_c": .number(21)])))
        let dispatcher = ToolDispatcher(tools: [weather], policy: .all)
        var req = ChatRequest(model: Provider.localModel, messages: [.user("What is the weather in Paris?")])
        req.tools = dispatcher.specs
        req.toolChoice = RequestParameters.toolChoice("get_weather")
        req.maxTokens = 48
        // Greedy and seeded: a sampled 135M model sometimes writes arguments that break the schema.
        req.temperature = 0
        req.seed = 0
        let c = await collect(await session.runLoop(req, mode: .nonStream, dispatcher: dispatcher, stepLimit: 2))
        let results = c.events.compactMap(\.result)
        #expect(results.first?.status == .ok, "\(results.first?.error?.summary ?? "")")
        #expect(results.first?.toolCalls.first?.function.name == "get_weather")
        let outcomes = c.events.flatMap { e -> [ToolOutcome] in if case .toolOutcomes(_, let o) = e { return o }; return [] }
        #expect(outcomes.first?.status == .ok)
        #expect(results.count == 2)
        try await log.flush()
        let second = try #require(try log.run(id: results[1].runId).request)
        #expect(second.toolChoice == nil, "the forced choice must not repeat")
        #expect(second.messages.last?.role == .tool)
        #expect(second.messages.last?.toolCallId == results[0].toolCalls.first?.id)
    }
}
