import Foundation
import Testing
import WorkbenchCore
import WorkbenchTools

/// Command tools against the ways a tool can outlive or overflow its call: background children,
/// children that make their own session, floods on stderr and stdout.
@Suite("Command tool processes and limits")
struct CommandToolRunnerTests {
    static func pid(_ r: ExternalToolResult) -> pid_t? { pid_t(r.output.trimmingCharacters(in: .whitespacesAndNewlines)) }

    @Test("a background grandchild does not outlive the call, and the call returns when the tool exits", arguments: [
        "sleep 1000 & echo $!",
        "setsid sleep 1000 & echo $!",   // leaves the process group: found by its environment mark
    ])
    func grandchild(_ script: String) async throws {
        let r = await CommandToolRunner.run(argv: ["/bin/sh", "-c", script], input: "{}", timeout: 600)
        #expect(r.failure == nil && !r.timedOut && r.exitStatus == 0, "\(r)")
        let pid = try #require(Self.pid(r), "\(r)")
        #expect(!ProcessGroup.isRunning(pid), "the grandchild \(pid) is gone")
        if ProcessGroup.isRunning(pid) { kill(pid, SIGKILL) }
    }

    @Test("a tool stopped at its time limit takes its children with it")
    func timeoutEndsGroup() async throws {
        let file = NSTemporaryDirectory() + "glmwb-tool-pid-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = await CommandToolRunner.run(argv: ["/bin/sh", "-c", "sleep 1000 & echo $! > \(file); exec sleep 1000"], input: "{}", timeout: 0.5)
        #expect(r.timedOut, "\(r)")
        let pid = try #require(pid_t((try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        #expect(!ProcessGroup.isRunning(pid), "the grandchild \(pid) is gone")
        if ProcessGroup.isRunning(pid) { kill(pid, SIGKILL) }
    }

    @Test("10 MB on stderr does not fail the call: stdout is the result, stderr's first 64 KiB are kept")
    func stderrFlood() async {
        // 600 s: the limit only shows when the test fails, and on a loaded CI machine 10 MB through
        // two pipes took over 60 s.
        let r = await CommandToolRunner.run(
            argv: ["/bin/sh", "-c", "head -c 10000000 /dev/zero | tr '\\0' x >&2; echo '{}'"], input: "{}",
            timeout: 600)
        #expect(r.failure == nil && r.exitStatus == 0, "\(r.failure ?? "")")
        #expect(r.output == "{}")
        let err = r.stderr ?? ""
        #expect(err.hasPrefix(String(repeating: "x", count: 64 * 1024)))
        #expect(err.utf8.count < 64 * 1024 + 200)
        #expect(err.contains("\(10_000_000 - 64 * 1024) more bytes of stderr dropped"), "\(err.suffix(120))")
    }

    @Test("more than 1 MiB on stdout fails and says it was stdout")
    func stdoutFlood() async {
        let r = await CommandToolRunner.run(
            argv: ["/bin/sh", "-c", "head -c 2000000 /dev/zero | tr '\\0' x"], input: "{}", timeout: 600)
        #expect(r.failure?.contains("stdout exceeded 1 MiB") == true, "\(r.failure ?? "no failure")")
    }
}
