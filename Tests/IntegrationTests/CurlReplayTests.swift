import Foundation
import GLMSim
import Testing
import WorkbenchCore

/// The curl export replays a run exactly, headers included: a run made with `--scenario X`
/// carried `X-GLMSim-Scenario: X`, and its replay must get scenario X's behaviour back.
@Suite("curl export replays sim runs", .serialized)
struct CurlReplayTests {
    func runID(_ r: CLIResult) throws -> String {
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(JSONValue.parse(r.stdout)?["run_id"]?.stringValue, "\(r.stdout) \(r.stderr)")
    }

    /// The tool calls' names in an SSE replay.
    func toolNames(_ sse: String) -> [String] {
        sse.components(separatedBy: "\n").compactMap { line -> [String]? in
            guard line.hasPrefix("data: {"), let o = JSONValue.parse(String(line.dropFirst(6))) else { return nil }
            return o["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue?.compactMap { $0["function"]?["name"]?.stringValue }
        }.flatMap { $0 }
    }

    @Test("a --scenario run's export keeps X-GLMSim-Scenario; sh replays it against the same GLMSim and gets the scenario's tool call")
    func scenarioHeaderKept() async throws {
        let server = try await GLMSimServer.start()  // default scenario: text
        let dir = tempDataDir()
        let (home, _) = try statsConfigHome(yaml: "")
        let env = ["XDG_CONFIG_HOME": home]
        let id = try runID(
            try await glmwb(
                [
                    "run", "--provider", "sim", "--base-url", server.baseURL.absoluteString, "--scenario", "tool_call",
                    "--approve", "none", "--max-steps", "1", "--data-dir", dir, "--json", "weather?",
                ], env: env))
        #expect(server.requestCount(scenario: "tool_call") >= 1)
        let before = server.requestCount(scenario: "tool_call")
        let curl = try await glmwb(["logs", "export", id, "--format", "curl", "--data-dir", dir], env: env)
        #expect(curl.status == 0, "\(curl.stderr)")
        #expect(curl.stdout.contains("-H 'X-GLMSim-Scenario: tool_call'"), "\(curl.stdout)")
        let replay = try await runShell(curl.stdout)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(server.requestCount(scenario: "tool_call") == before + 1, "the replay asked for the same scenario")
        #expect(server.requestCount(scenario: "text") == 0, "not the server's default")
        #expect(toolNames(replay.stdout) == ["get_weather"], "\(replay.stdout)")
        try await server.shutdown()
    }

    @Test("--output writes an executable script; a run on the in-process simulator replays against a live `glmwb sim` via GLMWB_BASE_URL")
    func outputScriptAndBaseOverride() async throws {
        let dir = tempDataDir()
        let (home, _) = try statsConfigHome(yaml: "")
        let env = ["XDG_CONFIG_HOME": home]
        // No --base-url: glmwb starts its own simulator, gone (with its port) when the run ends.
        let id = try runID(
            try await glmwb(
                ["run", "--provider", "sim", "--scenario", "cjk", "--data-dir", dir, "--json", "你好"], env: env))
        let record = try RunLog(dataDir: dir).run(id: id)
        let script = dir + "/replay.sh"
        let out = try await glmwb(
            ["logs", "export", id, "--format", "curl", "--output", script, "--data-dir", dir], env: env)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout.isEmpty)
        let mode = try #require(FileManager.default.attributesOfItem(atPath: script)[.posixPermissions] as? Int)
        #expect(mode == 0o755, "\(String(mode, radix: 8))")
        let text = try String(contentsOfFile: script, encoding: .utf8)
        #expect(text.hasPrefix("#!/bin/sh\n"))

        let live = try await GLMSimServer.start()
        let replay = try await runShell("sh " + script, env: ["GLMWB_BASE_URL": live.baseURL.absoluteString])
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(live.requestCount(scenario: "cjk") == 1)
        let content = replay.stdout.components(separatedBy: "\n").compactMap { line -> String? in
            guard line.hasPrefix("data: {") else { return nil }
            return JSONValue.parse(String(line.dropFirst(6)))?["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue
        }.joined()
        #expect(content == record.content, "the same scenario's reply came back")
        try await live.shutdown()
    }

    @Test("a config header that may hold a credential is named in a comment, never exported or logged; other headers are replayed")
    func credentialHeaders() async throws {
        let server = try await GLMSimServer.start()
        let dir = tempDataDir()
        let sentinel = "hdr-secret-7f3a"
        let (home, _) = try statsConfigHome(yaml: """
            providers:
              gw: {base_url: "\(server.baseURL.absoluteString)", model: m, headers: {X-Team: blue, X-Api-Key: \(sentinel)}}
            """)
        let env = ["XDG_CONFIG_HOME": home]
        let id = try runID(try await glmwb(["run", "--provider", "gw", "--data-dir", dir, "--json", "hi"], env: env))
        let curl = try await glmwb(["logs", "export", id, "--format", "curl", "--data-dir", dir], env: env)
        #expect(curl.stdout.contains("-H 'X-Team: blue'"), "\(curl.stdout)")
        #expect(curl.stdout.contains("# X-Api-Key was sent too"), "\(curl.stdout)")
        #expect(!curl.stdout.contains(sentinel))
        for format in ["jsonl", "md"] {
            #expect(
                !(try await glmwb(["logs", "export", id, "--format", format, "--data-dir", dir], env: env)).stdout
                    .contains(sentinel))
        }
        let db = try Data(contentsOf: URL(fileURLWithPath: RunLog.path(inDataDir: dir)))
        #expect(db.range(of: Data(sentinel.utf8)) == nil, "the value never reaches the log")
        try await server.shutdown()
    }
}
