import Foundation
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// Issue 12: the shipped cases run on the real local model (SmolLM2-135M through llama.cpp). A
/// model that small fails most of them; what is checked is that every cell ends with a status,
/// a failure or error says why, every sent cell is a logged run, the cost is the free model's,
/// and the exit status follows the cells — not that the model is good.
@Suite("Shipped cases on the local model", .serialized)
struct ShippedCasesLocalTests {
    /// The first case of each template's cases file (every case of every template would take
    /// minutes of a tiny model's generation on two cores).
    static func firstCase(_ template: String) throws -> String {
        let path = projectRoot.appendingPathComponent("prompts/\(template).cases.yaml").path
        do throws(EvalFileErrors) {
            return try EvalCaseFile.load(path: path).cases.first?.name ?? ""
        } catch { throw error }
    }

    /// The shipped template with a short `max_tokens` (the replies of a 135M model are not the
    /// point, and long ones would hold both cores of a CI machine for minutes): a copy beside the
    /// test's data, run with the shipped cases file.
    static func shortCopy(_ template: String, in dir: String) throws -> String {
        let text = try String(
            contentsOfFile: projectRoot.appendingPathComponent("prompts/\(template).md").path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("max_tokens:") ? "max_tokens: 48" : String($0)
        }
        #expect(lines.contains("max_tokens: 48"), "\(template) declares max_tokens")
        let path = dir + "/" + template.replacingOccurrences(of: "/", with: "-") + ".md"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(
        "glmwb eval TEMPLATE --provider local: every cell has a status and, when it did not pass, a reason",
        arguments: ShippedCasesSimTests.templates)
    func reported(template: String) async throws {
        _ = try await localModelURL()
        let dir = tempDataDir()
        let name = try Self.firstCase(template)
        let cases = projectRoot.appendingPathComponent("prompts/\(template).cases.yaml").path
        let r = try await glmwb(
            [
                "eval", try Self.shortCopy(template, in: dir), "--cases", cases, "--provider", "local", "--json",
                "--no-cache", "--filter", name, "--data-dir", dir + "/data",
            ],
            env: ["XDG_CONFIG_HOME": dir + "/config"])
        let o = try #require(JSONValue.parse(r.stdout), "\(template): \(r.stderr)")
        let cells = (o["cases"]?.arrayValue ?? []).flatMap { $0["cells"]?.arrayValue ?? [] }
        #expect(cells.count == 1, "\(template): \(r.stdout)")
        let log = try RunLog(readingDataDir: dir + "/data")
        var statuses: Set<String> = []
        for cell in cells {
            let status = try #require(cell["status"]?.stringValue)
            statuses.insert(status)
            #expect(["pass", "fail", "error", "unscored"].contains(status), "\(template): \(cell)")
            if status != "pass" {
                let reason = cell["reason"]?.stringValue ?? cell["problem"]?.stringValue ?? ""
                #expect(!reason.isEmpty, "\(template): a cell that did not pass says why: \(cell)")
            }
            if let id = cell["run_id"]?.stringValue {
                #expect(log.record(runId: id) != nil, "\(template): the cell's run is in the log")
            }
            #expect(
                cell["cost_usd"]?.stringValue == "0" || cell["cost_usd"] == .number(0),
                "the local model is free: \(cell)")
        }
        let expected: Int32 = statuses.contains("fail") ? 1 : (statuses == ["pass"] ? 0 : 3)
        #expect(r.status == expected, "\(template): exit \(r.status) for \(statuses): \(r.stderr)")
    }
}
