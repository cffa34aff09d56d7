import Foundation
import Testing
import WorkbenchCore

/// The server's id for each completion (issue 14: support tickets need it): kept in the log's
/// run row, in `run --json` and `logs show`, in both modes, exactly as the server sent it.
@Suite("The server's response id")
struct ResponseIdCLITests {
    @Test("run --json carries response_id; the log keeps it; logs show prints it", arguments: [[], ["--no-stream"]])
    func kept(_ mode: [String]) async throws {
        let dir = tempDataDir()
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "--json"] + mode + ["Hi"])
        #expect(r.status == 0, "\(r.stderr)")
        let id = try #require(r.json?["response_id"]?.stringValue)
        #expect(id.hasSuffix("sim") && id.count > 10, "GLMSim's ids look like Z.AI's: \(id)")
        let logged = try #require(try RunLog(readingDataDir: dir).runs(limit: 1).first)
        #expect(logged.responseId == id)
        let shown = try await glmwb(["logs", "show", logged.id, "--data-dir", dir]).stdout
        #expect(shown.contains("- server id: \(id)\n"))
    }

    @Test("a run refused before any answer has no response id (null, not an empty string)")
    func none() async throws {
        let r = try await glmwb([
            "run", "--provider", "sim", "--model", "sim/error:1113", "--data-dir", tempDataDir(), "--json", "Hi",
        ])
        #expect(r.status != 0)
        #expect(r.json?["response_id"] == .null)
    }
}
