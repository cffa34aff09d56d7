import Foundation
import Testing
import WorkbenchCore

/// `glmwb run` with Z.AI's web search against GLMSim: a search whose results were not asked for
/// (`search_result: false`) is still a search performed, priced and labelled so.
@Suite("Web search billing from the command line")
struct WebSearchCLITests {
    func template(_ tool: String) throws -> String {
        let dir = tempDataDir()
        let path = dir + "/ws.md"
        try "---\nmodel: sim/web_search\ntools:\n  - \(tool)\n---\nWhat is new?\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("search_result false: no results come back, the search is counted from the request ($0.01 at GLM rates)")
    func hiddenResults() async throws {
        let r = try await glmwb([
            "run", "--provider", "sim", "--template", try template("web_search: {search_result: false}"),
            "--data-dir", tempDataDir(),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stderr.contains(
                "would cost $0.0100 at GLM rates) incl. 1 web search (counted from the request: results not returned)"),
            "\(r.stderr)")
    }

    @Test("results returned: one search, without the note")
    func shownResults() async throws {
        let r = try await glmwb([
            "run", "--provider", "sim", "--template", try template("web_search"), "--data-dir", tempDataDir(),
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("incl. 1 web search ·"), "\(r.stderr)")
    }
}
