import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// The config keys of evaluations, read by the real binary: `eval_concurrency` as the default
/// for `--concurrency`, and `judge:` as the judge of `judge:` assertions that name none.
extension EvalCLITests {
    func writeConfig(_ dir: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: dir + "/config/glmwb", withIntermediateDirectories: true)
        try text.write(toFile: dir + "/config/glmwb/config.yaml", atomically: true, encoding: .utf8)
    }

    @Test(
        "eval_concurrency in the config is the default concurrency (--concurrency wins); out of range exits 2 naming the key"
    )
    func evalConcurrencyConfig() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        let base = sim.baseURL.absoluteString
        try writeConfig(dir, "eval_concurrency: 3\n")
        let r = try await eval(dir, ["--no-cache"], base: base)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("×3"), "the progress line shows the configured concurrency: \(r.stderr)")
        let flag = try await eval(dir, ["--no-cache", "--concurrency", "2"], base: base)
        #expect(flag.stderr.contains("×2") && !flag.stderr.contains("×3"), "\(flag.stderr)")
        try writeConfig(dir, "\neval_concurrency: 0\n")
        let bad = try await eval(dir, [], base: base)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("config.yaml:2") && bad.stderr.contains("eval_concurrency"), "\(bad.stderr)")
        #expect(sim.requestCount(scenario: "text") == 4, "the refused run sent nothing")
    }

    @Test(
        "judge: {provider, model} in the config judges assertions that name no judge; one that names a model keeps it")
    func judgeConfig() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(
            cases: """
                cases:
                  - name: configured
                    vars: {word: apple}
                    assert:
                      - judge: {rubric: "repeats the word"}
                  - name: named
                    vars: {word: pear}
                    assert:
                      - judge: {rubric: "repeats the word", model: "sim/cjk"}
                """)
        try writeConfig(dir, "judge: {provider: sim, model: sim/json_mode}\n")
        let r = try await eval(dir, ["--json"], base: sim.baseURL.absoluteString)
        // GLMSim's json_mode and cjk replies are not verdicts: the cells are unscored (exit 3),
        // which shows each judge was asked and its reply read, never counted as a pass.
        #expect(r.status == 3, "\(r.stdout)\(r.stderr)")
        #expect(
            sim.requestCount(scenario: "json_mode") == 1, "the configured judge model answered the case that named none"
        )
        #expect(sim.requestCount(scenario: "cjk") == 1, "the assertion's own model was kept")
        let judgeBody = try #require(sim.lastRequestBody(scenario: "json_mode").flatMap(JSONValue.parse))
        #expect(judgeBody["response_format"]?["type"]?.stringValue == "json_object")
        #expect(judgeBody["temperature"] == .number(0))
        let cells = JSONValue.parse(r.stdout)?["cases"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first } ?? []
        #expect(cells.map { $0["status"]?.stringValue } == ["unscored", "unscored"])
        try writeConfig(dir, "judge: {provider: nowhere}\n")
        let bad = try await eval(dir, [], base: sim.baseURL.absoluteString)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("judge.provider"), "\(bad.stderr)")
    }
}
