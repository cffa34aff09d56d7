import Foundation
import Testing
import WorkbenchCore

/// Issue 11, "missing basics": the version, a mistyped command, `--resume` by prefix, the keys in
/// `--help`. Each runs the real binary.
@Suite("The glmwb binary: version, unknown commands, resume by prefix", .serialized)
struct CLIBasicsTests {
    @Test("--version prints the version and exits 0")
    func version() async throws {
        let r = try await glmwb(["--version"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines).range(of: #"^glmwb \d+\.\d+\.\d+"#, options: .regularExpression) != nil, "\(r.stdout)")
    }

    @Test("a mistyped command is an unknown command (exit 2) with the list of commands, not a --resume complaint")
    func unknownCommand() async throws {
        let r = try await glmwb(["typo", "--data-dir", tempDataDir()])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown command 'typo'"), "\(r.stderr)")
        #expect(!r.stderr.contains("needs --resume"), "\(r.stderr)")
        for name in ["workbench", "run", "compare", "templates", "sim", "logs"] { #expect(r.stderr.contains(name), "\(name)") }
    }

    @Test("--resume with an id that matches no conversation says so (exit 2), before anything starts")
    func resumeUnknownPrefix() async throws {
        let r = try await glmwb(["--resume", "zzzz9", "--provider", "sim", "--data-dir", tempDataDir()])
        #expect(r.status == 2, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("no conversation") && r.stderr.contains("zzzz9"), "\(r.stderr)")
    }

    @Test("glmwb --help lists the workbench keys from the Action table, with [ ], the compare keys and q")
    func helpListsKeys() async throws {
        let r = try await glmwb(["--help"])
        #expect(r.status == 0)
        for k in ["Ctrl-S", "Ctrl-K", "F1", "[ ]", "r, d, s, n", "q, ?"] { #expect(r.stdout.contains(k), "\(k)") }
    }
}
