import Foundation
import Testing
@testable import WorkbenchCore

/// `api_key_command` runs before every command that talks to a provider, so each way a command
/// can misbehave must end, promptly, with the command and everything it started gone.
@Suite("api_key_command")
struct KeyCommandTests {
    /// A file the command writes its pid (= its process group, as glmwb starts it) into.
    final class PidFile {
        let path = NSTemporaryDirectory() + "glmwb-keycmd-\(UUID().uuidString)"
        deinit { try? FileManager.default.removeItem(atPath: path) }
        var pgid: pid_t? { (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }
    }

    /// `kill(-pgid, 0)` fails with ESRCH: no process is left in the group.
    static func groupIsGone(_ pgid: pid_t?) -> Bool {
        guard let pgid else { return false }
        return kill(-pgid, 0) == -1 && errno == ESRCH
    }

    static func message(_ body: () throws -> Secret) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    @Test("a command that never exits is stopped at the time limit, with its process group")
    func neverExits() throws {
        let f = PidFile()
        let start = ContinuousClock.now
        let m = Self.message { try KeyCommand.run(["/bin/sh", "-c", "echo $$ > \(f.path); exec sleep 1000"], timeLimit: .seconds(1)) }
        #expect(ContinuousClock.now - start < .seconds(60), "bounded by the limit, not by the 1000 s command")
        #expect(m?.contains("no key within 1 s; it was stopped") == true, "\(m ?? "no error")")
        #expect(Self.groupIsGone(f.pgid))
    }

    @Test("10 MB on stderr before the key does not deadlock; stderr is drained alongside stdout")
    func floodOnStderr() throws {
        let key = try KeyCommand.run(["/bin/sh", "-c", "head -c 10000000 /dev/zero | tr '\\0' x >&2; echo the-key"], timeLimit: .seconds(60))
        #expect(key.value == "the-key")
    }

    @Test("a key printed by a command that then keeps running is taken at once, and the command ended")
    func keyThenSleeps() throws {
        let f = PidFile()
        let start = ContinuousClock.now
        let key = try KeyCommand.run(["/bin/sh", "-c", "echo $$ > \(f.path); echo the-key; exec sleep 1000"], timeLimit: .seconds(600))
        #expect(key.value == "the-key")
        #expect(ContinuousClock.now - start < .seconds(120), "taken when the line arrived, not at the 600 s limit")
        #expect(Self.groupIsGone(f.pgid))
    }

    @Test("a non-zero exit is a failure even after a line was printed; children it left are ended")
    func nonZeroExit() throws {
        let f = PidFile()
        let m = Self.message { try KeyCommand.run(["/bin/sh", "-c", "echo $$ > \(f.path); sleep 1000 & echo leaked; echo oops >&2; exit 3"]) }
        #expect(m?.contains("exit 3: oops") == true, "\(m ?? "no error")")
        #expect(m?.contains("leaked") == false, "stdout may be the key: never echoed")
        let pgid = try #require(f.pgid)
        // The orphaned `sleep` may linger as a zombie (this container's init does not reap), so
        // "gone" is: no member of the group still running.
        #expect(ProcessGroup.livingMembers(of: pgid).isEmpty)
    }

    @Test("a signal, no output, a missing program and an empty command are clear failures", arguments: [
        (["/bin/sh", "-c", "kill -9 $$"], "killed by signal 9"),
        (["/bin/true"], "it printed nothing"),
        (["/bin/sh", "-c", "echo '   '; echo why >&2"], "it printed nothing: why"),
        (["glmwb-no-such-command-xyz"], "cannot start glmwb-no-such-command-xyz"),
        ([""], "the command is empty"),
    ])
    func failures(_ argv: [String], _ expected: String) {
        let m = Self.message { try KeyCommand.run(argv, timeLimit: .seconds(30)) }
        #expect(m?.contains(expected) == true, "\(m ?? "no error")")
    }

    @Test("the first non-blank line is the key; a last line without a newline counts at exit")
    func firstLine() throws {
        #expect(try KeyCommand.run(["/bin/sh", "-c", "echo; echo '  k1  '; echo k2"]).value == "k1")
        #expect(try KeyCommand.run(["/bin/sh", "-c", "printf k3"]).value == "k3")
        #expect(try KeyCommand.run(["printf", "k4\\n"]).value == "k4", "a bare name is looked up on PATH")
    }
}
