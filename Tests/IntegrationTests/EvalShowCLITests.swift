import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// `glmwb eval show ID` on a failed evaluation, read back from the log by the real binary: under
/// the table, each cell that did not pass with every assertion's reason and the case's
/// `expected` beside the output the model gave.
extension EvalCLITests {
    @Test("eval show prints, for each failing cell, every assertion's reason and the case's expected beside the output")
    func showFailureDetails() async throws {
        let dir = try workspace(
            cases: """
                cases:
                  - name: apple
                    vars: {word: apple}
                    expected: "You said: Please repeat apple"
                    assert:
                      - contains: "apple"
                  - name: pear
                    vars: {word: pear}
                    expected: "A pear, repeated [1]."
                    assert:
                      - contains: "[1]"
                      - icontains: "pear"
                """)
        let first = try await eval(dir, ["--json"])
        #expect(first.status == 1, "\(first.stderr)")
        let id = try #require(JSONValue.parse(first.stdout)?["eval_id"]?.stringValue)
        let show = try await glmwb(
            ["eval", "show", id, "--data-dir", dir + "/data"], env: ["XDG_CONFIG_HOME": dir + "/config"])
        #expect(show.status == 1, "eval show exits as the evaluation did")
        let out = show.stdout
        #expect(out.contains("Cells that did not pass:"), "\(out)")
        #expect(out.contains("✘ pear · A: greet"), "\(out)")
        #expect(out.contains("✘ contains: does not contain “[1]”"), "\(out)")
        #expect(out.contains("✔ icontains:"), "the assertion that passed is listed with its reason too")
        #expect(out.contains("expected: A pear, repeated [1]."), "\(out)")
        #expect(out.contains("output: ") && out.contains("Please repeat pear"), "\(out)")
        #expect(!out.contains("apple · A"), "a passing cell is not detailed")
        let json = try await glmwb(
            ["eval", "show", id, "--json", "--data-dir", dir + "/data"], env: ["XDG_CONFIG_HOME": dir + "/config"])
        let cases = JSONValue.parse(json.stdout)?["cases"]?.arrayValue ?? []
        #expect(
            cases.map { $0["expected"]?.stringValue } == ["You said: Please repeat apple", "A pear, repeated [1]."])
    }
}

extension EvalCLITests {
    @Test("eval show keeps why a cell errored and why it was sent rather than cached, as the run said them")
    func showProblemAndCacheMiss() async throws {
        let dir = try workspace(cases: Self.passing)
        let first = try await eval(dir, ["--json", "--model", "sim/error:1113"])
        #expect(first.status == 3, "\(first.stderr)")
        let id = try #require(JSONValue.parse(first.stdout)?["eval_id"]?.stringValue)
        let live = JSONValue.parse(first.stdout)?["cases"]?.arrayValue?.first?["cells"]?.arrayValue?.first
        let problem = try #require(live?["problem"]?.stringValue ?? live?["reason"]?.stringValue)
        let miss = try #require(live?["cache_miss"]?.stringValue)
        let shown = try await glmwb(
            ["eval", "show", id, "--json", "--data-dir", dir + "/data"], env: ["XDG_CONFIG_HOME": dir + "/config"])
        let cell = JSONValue.parse(shown.stdout)?["cases"]?.arrayValue?.first?["cells"]?.arrayValue?.first
        #expect((cell?["problem"]?.stringValue ?? cell?["reason"]?.stringValue) == problem, "\(shown.stdout)")
        #expect(problem.contains("1113"), "the API error, not 'see the run': \(problem)")
        #expect(cell?["cache_miss"]?.stringValue == miss)
    }
}
