import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// `--model`, `--provider` and `--modes` as columns, run by the real binary against GLMSim on
/// loopback: the columns are labelled with what they ran on, and every cell's request really
/// went out with its column's model and mode (read back from what the server received and from
/// the log).
extension EvalCLITests {
    /// (model, stream) of every chat request the simulator received for the default scenario.
    static func received(_ sim: GLMSimServer) -> [String] {
        sim.requestBodies(scenario: "text").compactMap(JSONValue.parse).map { body in
            "\(body["model"]?.stringValue ?? "?") \(body["stream"] == .bool(true) ? "stream" : "non-stream")"
        }.sorted()
    }

    /// run_id → "model mode" from `glmwb logs list --json`.
    func loggedRuns(_ dir: String) async throws -> [String: String] {
        let logs = try await glmwb(
            ["logs", "list", "--json", "--data-dir", dir + "/data"], env: ["XDG_CONFIG_HOME": dir + "/config"])
        var out: [String: String] = [:]
        for r in JSONValue.parse(logs.stdout)?.arrayValue ?? [] {
            guard let id = r["run_id"]?.stringValue else { continue }
            out[id] =
                "\(r["model"]?.stringValue ?? "?") \(r["mode"]?.stringValue == "stream" ? "stream" : "non-stream")"
        }
        return out
    }

    @Test(
        "two --model × --modes stream,non-stream: four labelled columns, each cell sent with its column's model and mode"
    )
    func modelAndModeColumns() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        let r = try await eval(
            dir, ["--json", "--model", "glm-4-flash", "--model", "glm-4.5-air", "--modes", "stream,non-stream"],
            base: sim.baseURL.absoluteString)
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(JSONValue.parse(r.stdout))
        let variants = try #require(o["variants"]?.arrayValue)
        let want = ["glm-4-flash stream", "glm-4-flash non-stream", "glm-4.5-air stream", "glm-4.5-air non-stream"]
        #expect(variants.map { "\($0["model"]?.stringValue ?? "?") \($0["mode"]?.stringValue ?? "?")" } == want)
        #expect(
            variants.map { $0["label"]?.stringValue ?? "" } == [
                "greet @glm-4-flash · stream", "greet @glm-4-flash · non-stream",
                "greet @glm-4.5-air · stream", "greet @glm-4.5-air · non-stream",
            ])
        #expect(variants.map { $0["id"]?.stringValue ?? "" } == ["A", "B", "C", "D"])
        #expect(variants[2]["source"]?["kind"]?.stringValue == "model")
        #expect(variants[1]["source"]?["kind"]?.stringValue == "mode")
        // The server received exactly one request per cell: each (model, mode) once per case.
        #expect(Self.received(sim) == (want + want).sorted())
        // And each cell's logged run was sent with its own column's model and mode.
        let byVariant = Dictionary(
            uniqueKeysWithValues: variants.map {
                ($0["id"]?.stringValue ?? "", "\($0["model"]?.stringValue ?? "") \($0["mode"]?.stringValue ?? "")")
            })
        let runs = try await loggedRuns(dir)
        let cells = o["cases"]?.arrayValue?.flatMap { $0["cells"]?.arrayValue ?? [] } ?? []
        #expect(cells.count == 8)
        for c in cells {
            #expect(c["status"]?.stringValue == "pass", "\(c)")
            let run = try #require(c["run_id"]?.stringValue)
            #expect(
                runs[run] == byVariant[c["variant"]?.stringValue ?? ""],
                "cell \(c["variant"] ?? .null) ran as its column says")
        }
        // The table names the columns too.
        let table = try await eval(
            dir, ["--model", "glm-4-flash", "--model", "glm-4.5-air", "--modes", "stream,non-stream"],
            base: sim.baseURL.absoluteString)
        #expect(table.stdout.contains("D: greet @glm-4.5-air · non-stream"), "\(table.stdout)")
        #expect(Self.received(sim).count == 8, "the cache key holds model and mode: a second run sends nothing")
        let third = try await eval(
            dir, ["--model", "glm-4-flash", "--model", "glm-4-plus"], base: sim.baseURL.absoluteString)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(
            Self.received(sim).filter { $0.hasPrefix("glm-4-plus") }.count == 2, "a new model is a cache miss, sent")
        #expect(Self.received(sim).count == 10, "the same model and mode again is a cache hit")
    }

    @Test(
        "two --provider (named in the config, both on the simulator): a column each, with that provider's own default model"
    )
    func providerColumns() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        try writeConfig(
            dir,
            """
            providers:
              east: {base_url: "\(sim.baseURL.absoluteString)", model: glm-east, free: true}
              west: {base_url: "\(sim.baseURL.absoluteString)", model: glm-west, free: true}
            """)
        let r = try await glmwb(
            [
                "eval", dir + "/greet.md", "--provider", "east", "--provider", "west", "--json", "--data-dir",
                dir + "/data",
            ],
            env: ["XDG_CONFIG_HOME": dir + "/config"])
        #expect(r.status == 0, "\(r.stderr)")
        let variants = try #require(JSONValue.parse(r.stdout)?["variants"]?.arrayValue)
        #expect(variants.map { $0["label"]?.stringValue ?? "" } == ["greet @east", "greet @west"])
        #expect(variants.map { $0["provider"]?.stringValue ?? "" } == ["east", "west"])
        #expect(Self.received(sim) == ["glm-east stream", "glm-east stream", "glm-west stream", "glm-west stream"])
    }

    @Test(
        "bad column flags exit 2 with a clear message before anything is sent",
        arguments: [
            (["--provider", "sim", "--provider", "nowhere"], "unknown provider 'nowhere'"),
            (["--modes", "stream,sideways"], "unknown mode 'sideways'"),
            (["--modes", ""], "--modes"),
            (["--modes", "stream,stream"], "given twice"),
            (["--modes", "stream", "--no-stream"], "--no-stream"),
            (["--model", "m", "--model", "m"], "given twice"),
        ])
    func badColumnFlags(_ extra: [String], _ message: String) async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        var args = ["eval", dir + "/greet.md", "--data-dir", dir + "/data"] + extra
        if !extra.contains("--provider") { args += ["--provider", "sim", "--base-url", sim.baseURL.absoluteString] }
        let r = try await glmwb(args, env: ["XDG_CONFIG_HOME": dir + "/config"])
        #expect(r.status == 2, "\(r.stdout)\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(Self.received(sim).isEmpty)
    }
}
