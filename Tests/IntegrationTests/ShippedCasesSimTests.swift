import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// Issue 12's "shipped cases pass on GLMSim" and issue 14's retrieval, through the real binary:
/// `glmwb eval` of every shipped template against the embedded simulator (its `grounded`
/// scenario), and a retrieval template run against a GLMSim server over HTTP.
@Suite("Shipped cases and retrieval on GLMSim")
struct ShippedCasesSimTests {
    static let templates: [String] = {
        let dir = projectRoot.appendingPathComponent("prompts").path
        let files = FileManager.default.enumerator(atPath: dir)?.compactMap { $0 as? String } ?? []
        return files.filter { $0.hasSuffix(".md") }.map { String($0.dropLast(3)) }.sorted()
    }()

    @Test("glmwb eval TEMPLATE --provider sim: exit 0 and every cell passed", arguments: templates)
    func shippedCasesPass(template: String) async throws {
        let dir = tempDataDir()
        let r = try await glmwb(
            ["eval", template, "--provider", "sim", "--json", "--no-cache", "--data-dir", dir + "/data"],
            env: ["XDG_CONFIG_HOME": dir + "/config"])
        let o = try #require(JSONValue.parse(r.stdout), "\(r.stderr)")
        let cells = (o["cases"]?.arrayValue ?? []).flatMap { c in
            (c["cells"]?.arrayValue ?? []).map { (c["name"]?.stringValue ?? "?", $0) }
        }
        #expect((5...10).contains(cells.count), "\(template): \(cells.count) cells")
        for (name, cell) in cells where cell["status"]?.stringValue != "pass" {
            let failed = (cell["assertions"]?.arrayValue ?? []).filter { $0["pass"] != .bool(true) }
            Issue.record("\(template)/\(name): \(cell["status"] ?? .null) \(failed) output: \(cell["output"] ?? .null)")
        }
        #expect(r.status == 0, "\(r.stderr)")
    }

    func retrievalTemplate(knowledgeID: String) throws -> String {
        let dir = tempDataDir()
        let text = try String(
            contentsOfFile: projectRoot.appendingPathComponent("prompts/qa/knowledge-base-retrieval.md").path,
            encoding: .utf8)
        let path = dir + "/kb.md"
        try text.replacingOccurrences(of: "knowledge_id: glmsim-x200", with: "knowledge_id: \(knowledgeID)")
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the retrieval template over HTTP: the tool is sent, the answer cites the knowledge base, stderr names it")
    func retrievalOverHTTP() async throws {
        let sim = try await GLMSimServer.start(defaultScenario: "grounded")
        defer { Task { try? await sim.shutdown() } }
        let dir = tempDataDir()
        let base = ["--provider", "sim", "--base-url", sim.baseURL.absoluteString, "--data-dir", dir]
        let args = ["run", "--template", try retrievalTemplate(knowledgeID: "glmsim-x200")] + base
        let r = try await glmwb(args + ["--var", "question=How long are brushes and filters covered?"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("covered for 6 months [2]"), "\(r.stdout)")
        #expect(r.stderr.contains("retrieval from knowledge base glmsim-x200 (run by Z.AI)"), "\(r.stderr)")
        let sent = try #require(sim.lastRequestBody(scenario: "grounded").flatMap(JSONValue.parse))
        let tool = sent["tools"]?.arrayValue?.first
        #expect(tool?["type"] == .string("retrieval"))
        #expect(tool?["retrieval"]?["knowledge_id"] == .string("glmsim-x200"))
        #expect(tool?["retrieval"]?["prompt_template"]?.stringValue?.contains("{{knowledge}}") == true)
        let refused = try await glmwb(args + ["--var", "question=Does it work with voice assistants?"])
        #expect(refused.stdout.hasPrefix("I don't know from these passages."), "\(refused.stdout)")
    }

    @Test("an unknown knowledge_id is refused with 1214 and the run fails")
    func unknownKnowledgeBase() async throws {
        let sim = try await GLMSimServer.start(defaultScenario: "grounded")
        defer { Task { try? await sim.shutdown() } }
        let dir = tempDataDir()
        let r = try await glmwb([
            "run", "--template", try retrievalTemplate(knowledgeID: "kb-missing"), "--provider", "sim",
            "--base-url", sim.baseURL.absoluteString, "--data-dir", dir,
        ])
        #expect(r.status != 0)
        #expect(r.stderr.contains("1214"), "\(r.stderr)")
        #expect(r.stderr.contains("kb-missing"), "\(r.stderr)")
    }
}
