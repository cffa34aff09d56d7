import Foundation
import Testing
import WorkbenchCore

/// Absurd values on the command line are usage errors: exit 2, the flag and its range named,
/// nothing sent and nothing logged.
@Suite("Absurd flags", .serialized)
struct AbsurdFlagTests {
    func runsLogged(_ dir: String) async throws -> Int {
        let r = try await glmwb(["logs", "list", "--json", "--data-dir", dir])
        return JSONValue.parse(r.stdout)?.arrayValue?.count ?? 0
    }

    @Test("--read-timeout that is not a finite number of seconds in range", arguments: ["nan", "inf", "1e30", "0", "-1", "86401"])
    func readTimeout(_ value: String) async throws {
        let dir = tempDataDir()
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "--read-timeout=\(value)", "hi"])
        #expect(r.status == 2, "\(value): \(r.stderr)")
        #expect(r.stderr.contains("--read-timeout") && r.stderr.contains("0.1…86400"), "\(r.stderr)")
    }

    @Test("parameters outside the model's documented ranges are refused before anything is sent",
          arguments: [["--temperature", "2"], ["--top-p", "0"], ["--max-tokens", "999999"], ["--max-tokens", "16385"], ["--temperature", "nan"]])
    func parameters(_ flag: [String]) async throws {
        let dir = tempDataDir()
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", dir] + flag + ["hi"])
        #expect(r.status == 2, "\(flag): \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try await runsLogged(dir) == 0, "nothing was logged for \(flag)")
    }

    @Test("OpenAI-compatible servers get OpenAI's ranges (temperature up to 2)")
    func openAIRange() async throws {
        let url = try await HostileServer.shared.baseURL("ok")
        let r = try await glmwb([
            "run", "--provider", "openai", "--base-url", url, "--data-dir", tempDataDir(), "--temperature", "1.5", "hi",
        ])
        #expect(r.status == 0, "\(r.stderr)")
    }
}
