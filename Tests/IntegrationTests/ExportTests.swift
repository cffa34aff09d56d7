import Foundation
import GLMSim
import Testing
import WorkbenchCore

/// `glmwb logs export` as a user would run it: each export says where its numbers come from, and
/// the curl export, run by a shell against a simulator, sends the logged request byte for byte.
///
/// Each test owns its simulator, so the "last request body" it reads is its own.
@Suite("glmwb logs export", .serialized)
struct ExportTests {
    /// The parsed `data:` payloads of an SSE body; nil when it is not a well-formed stream
    /// (every event a `data:` line with a JSON object, ending with [DONE]).
    func ssePayloads(_ text: String) -> [JSONValue]? {
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        guard events.last == "data: [DONE]", events.count > 1 else { return nil }
        var out: [JSONValue] = []
        for e in events.dropLast() {
            guard e.hasPrefix("data: "), !e.dropFirst(6).contains("\n"),
                  let obj = JSONValue.parse(String(e.dropFirst(6))), obj.objectValue != nil else { return nil }
            out.append(obj)
        }
        return out
    }

    func runID(_ r: CLIResult) throws -> String {
        #expect(r.status == 0, "\(r.stderr)")
        return try #require(JSONValue.parse(r.stdout)?["run_id"]?.stringValue, "\(r.stdout) \(r.stderr)")
    }

    @Test("the curl export, run with /bin/sh against GLMSim, sends exactly the logged request and gets a valid stream")
    func curlReplays() async throws {
        let server = try await GLMSimServer.start()
        let base = server.baseURL.absoluteString
        let dir = tempDataDir()
        let (home, _) = try statsConfigHome(yaml: "")
        let env = ["XDG_CONFIG_HOME": home]
        // Quotes, $, backquotes, backslashes, a newline and CJK: everything a shell could mangle.
        let prompt = "replay me: it's \"quoted\", $HOME `id` \\n 100% \\ done\nsecond line 四元数 'x'"
        let id = try runID(
            try await glmwb(
                [
                    "run", "--provider", "sim", "--base-url", base, "--data-dir", dir, "--temperature", "0.3", "--json",
                    prompt,
                ], env: env))
        let record = try RunLog(dataDir: dir).run(id: id)
        #expect(record.prompt == prompt)
        #expect(server.lastRequestBody(scenario: "text") == record.requestJson, "the log holds the body as sent")
        #expect(server.requestCount(scenario: "text") == 1)

        let curl = try await glmwb(["logs", "export", id, "--format", "curl", "--data-dir", dir], env: env)
        #expect(curl.status == 0, "\(curl.stderr)")
        #expect(!curl.stdout.contains("Authorization"), "sim needs no key")
        let replay = try await runShell(curl.stdout)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(server.requestCount(scenario: "text") == 2)
        let received = try #require(server.lastRequestBody(scenario: "text"))
        #expect(received == record.requestJson, "curl sent:\n\(received)\nlogged:\n\(record.requestJson)")

        let payloads = try #require(ssePayloads(replay.stdout), "not a valid SSE stream: \(replay.stdout)")
        let text = payloads.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
        #expect(text == record.content)
        #expect(payloads.contains { $0["usage"] != nil && $0["usage"] != .null })
        try await server.shutdown()
    }

    @Test("JSONL: one line per run, the run record with usage.source and the price's as_of and source")
    func jsonl() async throws {
        let server = try await GLMSimServer.start()
        let base = server.baseURL.absoluteString
        let dir = tempDataDir()
        let (home, _) = try statsConfigHome(yaml: "")
        let env = ["XDG_CONFIG_HOME": home]
        let run = try await glmwb(
            ["run", "--provider", "sim", "--base-url", base, "--data-dir", dir, "--json", "jsonl please"], env: env)
        let id = try runID(run)
        let out = try await glmwb(["logs", "export", id, "--format", "jsonl", "--data-dir", dir], env: env)
        #expect(out.status == 0)
        #expect(out.stdout.hasSuffix("\n"))
        let lines = out.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1)
        let obj = try #require(JSONValue.parse(String(lines[0])))
        let printed = try #require(JSONValue.parse(run.stdout)?.objectValue)
        #expect(Set(obj.objectValue?.keys.map { $0 } ?? []) == Set(printed.keys), "the same object as run --json")
        #expect(obj["run_id"] == .string(id))
        #expect(obj["request"] == printed["request"] && obj["content"] == printed["content"])
        #expect(obj["usage"]?["source"] == .string("reported"))
        #expect(obj["price"]?["as_of"] == .string(PriceTable.glm4_32b.asOf))
        #expect(obj["price"]?["source"] == .string(PriceTable.glm4_32b.source))
        #expect(obj["cost_usd"] == .number(0) && (obj["would_cost_usd"]?.testNumber ?? 0) > 0)
        try await server.shutdown()
    }

    @Test("Markdown: each run names its usage as reported or estimated, and the price used or that it is unknown")
    func markdownProvenance() async throws {
        let server = try await GLMSimServer.start()
        let base = server.baseURL.absoluteString
        let dir = tempDataDir()
        let (home, file) = try statsConfigHome(yaml: """
            prices:
              - provider: zai
                model: glm-4-32b-0414-128k
                input_per_million: 0.3
                output_per_million: 1.25
                as_of: 2026-10-01
            providers:
              other: {base_url: "\(base)", model: other-model}
            """)
        let env = ["XDG_CONFIG_HOME": home, "ZAI_API_KEY": "sk-md-sentinel"]
        func md(_ args: [String]) async throws -> String {
            let id = try runID(try await glmwb(["run", "--data-dir", dir, "--json"] + args, env: env))
            let r = try await glmwb(["logs", "export", id, "--format", "md", "--data-dir", dir], env: env)
            #expect(r.status == 0)
            return r.stdout
        }
        let (_, emptyConfig) = try statsConfigHome(yaml: "")
        let builtIn = try await md(["--provider", "sim", "--base-url", base, "--config", emptyConfig, "free"])
        #expect(builtIn.contains("- usage: reported by the provider\n"))
        #expect(builtIn.contains("- price: $0.10/M in, $0.10/M out, $0.01 per web search, as of 2026-11-20, from docs.z.ai/guides/llm/glm-4-32b-0414-128k (sim is free"))
        let configured = try await md(["--provider", "zai", "--base-url", base, "priced by the config"])
        #expect(configured.contains("- price: $0.30/M in, $1.25/M out, as of 2026-10-01, from config \(file)\n"))
        let estimated = try await md(["--provider", "sim", "--base-url", base, "--model", "sim/no_usage", "no usage"])
        #expect(estimated.contains("- usage: estimated by glmwb (the provider reported none)\n"))
        let unknown = try await md(["--provider", "other", "unpriced"])
        #expect(unknown.contains("- price: price unknown (no price for other/other-model"))
        #expect(unknown.contains("cost unknown"))
        try await server.shutdown()
    }

    @Test("the key never reaches the log or an export; curl reads it from the provider's variable and still replays")
    func keyNeverExported() async throws {
        let server = try await GLMSimServer.start()
        let base = server.baseURL.absoluteString
        let dir = tempDataDir()
        let sentinel = "sk-SENTINEL-" + RunID.make()
        let (home, _) = try statsConfigHome(yaml: """
            providers:
              keyed: {base_url: "\(base)", api_key_env: ZAI_API_KEY}
            """)
        let env = ["XDG_CONFIG_HOME": home, "ZAI_API_KEY": sentinel]
        let keyed = try runID(
            try await glmwb(["run", "--provider", "keyed", "--data-dir", dir, "--json", "named provider"], env: env))
        let zai = try runID(
            try await glmwb(
                ["run", "--provider", "zai", "--base-url", base, "--data-dir", dir, "--json", "zai provider"], env: env)
        )
        for id in [keyed, zai] {
            for format in ["jsonl", "md", "curl"] {
                let r = try await glmwb(["logs", "export", id, "--format", format, "--data-dir", dir], env: env)
                #expect(r.status == 0)
                #expect(!r.stdout.contains(sentinel) && !r.stderr.contains(sentinel), "\(format) export of \(id) leaks the key")
            }
            let show = try await glmwb(["logs", "show", id, "--json", "--events", "--data-dir", dir], env: env)
            #expect(!show.stdout.contains(sentinel))
            let curl = try await glmwb(["logs", "export", id, "--format", "curl", "--data-dir", dir], env: env).stdout
            #expect(curl.contains("-H \"Authorization: Bearer $ZAI_API_KEY\""))
            let replay = try await runShell(curl, env: ["ZAI_API_KEY": sentinel])
            #expect(ssePayloads(replay.stdout) != nil, "\(replay.stdout) \(replay.stderr)")
            let logged = try RunLog(dataDir: dir).run(id: id).requestJson
            #expect(server.lastRequestBody(scenario: "text") == logged)
        }
        for suffix in ["", "-wal", "-shm"] {
            let path = RunLog.path(inDataDir: dir) + suffix
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            #expect(data.range(of: Data(sentinel.utf8)) == nil, "\(path) holds the key")
        }
        try await server.shutdown()
    }
}
