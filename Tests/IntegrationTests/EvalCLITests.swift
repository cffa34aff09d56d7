import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchTestSupport

/// `glmwb eval` as a user or CI would run it: the real binary against GLMSim on loopback, a real
/// log, the exit status the issue promises (0 pass, 1 fail, 3 error/skipped, 2 bad usage, 130).
@Suite("glmwb eval from the command line")
struct EvalCLITests {
    /// A folder with a template `greet.md` and its `greet.cases.yaml`.
    func workspace(cases: String, template: String = Self.template) throws -> String {
        let dir = tempDataDir()
        try template.write(toFile: dir + "/greet.md", atomically: true, encoding: .utf8)
        try cases.write(toFile: dir + "/greet.cases.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    static let template = """
    ---
    description: Say something to the simulator
    variables:
      word:
        required: true
    ---
    Please repeat {{word}}
    """

    static let passing = """
    cases:
      - name: apple
        vars: {word: apple}
        assert:
          - contains: "You said: Please repeat apple"
      - name: pear
        vars: {word: pear}
        assert:
          - icontains: "glmsim"
          - not-contains: "apple"
    """

    func eval(_ dir: String, _ extra: [String], base: String? = nil) async throws -> CLIResult {
        var args = ["eval", dir + "/greet.md", "--provider", "sim", "--data-dir", dir + "/data"]
        if let base { args += ["--base-url", base] }
        return try await glmwb(args + extra, env: ["XDG_CONFIG_HOME": dir + "/config"])
    }

    @Test("every case passes on GLMSim: exit 0, a table with ✔, --json with the issue's fields, JUnit and CSV written")
    func passes() async throws {
        let dir = try workspace(cases: Self.passing)
        let table = try await eval(dir, [])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("apple"))
        #expect(table.stdout.contains("✔"))
        #expect(table.stderr.contains("2/2"), "the progress line says done/total")
        let r = try await eval(dir, ["--json", "--junit", dir + "/junit.xml", "--csv", dir + "/cells.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(JSONValue.parse(r.stdout))
        #expect(o["eval_id"]?.stringValue?.isEmpty == false)
        let cases = try #require(o["cases"]?.arrayValue)
        #expect(cases.map { $0["name"]?.stringValue } == ["apple", "pear"])
        for c in cases {
            let cell = try #require(c["cells"]?.arrayValue?.first)
            #expect(cell["status"]?.stringValue == "pass")
            #expect(cell["run_id"]?.stringValue?.isEmpty == false, "every cell is a logged run")
        }
        let junit = try String(contentsOfFile: dir + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("<testsuite"))
        #expect(junit.contains("apple"))
        let csv = try String(contentsOfFile: dir + "/cells.csv", encoding: .utf8)
        #expect(csv.split(whereSeparator: \.isNewline).count == 3, "a header and one row per cell")
        // The cells are in the log like any other run.
        let logs = try await glmwb(["logs", "list", "--json", "--data-dir", dir + "/data"])
        #expect((JSONValue.parse(logs.stdout)?.arrayValue?.count ?? 0) >= 4)
    }

    @Test("a failing assertion exits 1 and names its reason; a failed run is an error (exit 3), not a fail")
    func failAndError() async throws {
        let dir = try workspace(cases: """
        cases:
          - name: wrong
            vars: {word: kiwi}
            assert:
              - contains: "banana"
        """)
        let fail = try await eval(dir, [])
        #expect(fail.status == 1, "\(fail.stderr)")
        #expect(fail.stdout.contains("✘"))
        #expect(fail.stdout.contains("banana"))
        let err = try await eval(dir, ["--model", "sim/malformed", "--json"])
        #expect(err.status == 3, "\(err.stderr)")
        let cell = JSONValue.parse(err.stdout)?["cases"]?.arrayValue?.first?["cells"]?.arrayValue?.first
        #expect(cell?["status"]?.stringValue == "error")
    }

    @Test("bad usage and bad files exit 2 with file:line, before anything is sent")
    func usage() async throws {
        let dir = try workspace(cases: "cases:\n  - name: x\n    vars: {nope: 1}\n    assert:\n      - contains: a\n")
        let r = try await eval(dir, [])
        #expect(r.status == 2)
        #expect(r.stderr.contains("greet.cases.yaml:"), "\(r.stderr)")
        let bad = try await eval(dir, ["--max-cost", "1e400"])
        #expect(bad.status == 2)
        let noCases = tempDataDir()
        try Self.template.write(toFile: noCases + "/greet.md", atomically: true, encoding: .utf8)
        let none = try await glmwb(["eval", noCases + "/greet.md", "--provider", "sim", "--data-dir", noCases])
        #expect(none.status == 2)
        #expect(none.stderr.contains("greet.cases.yaml"))
    }

    @Test("--max-cost reached: no cell starts, each is reported skipped, exit 3")
    func budget() async throws {
        let dir = try workspace(cases: Self.passing)
        let r = try await eval(dir, ["--max-cost", "0", "--json"])
        #expect(r.status == 3, "\(r.stderr)")
        let cells = JSONValue.parse(r.stdout)?["cases"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first } ?? []
        #expect(cells.count == 2)
        #expect(cells.allSatisfy { $0["status"]?.stringValue == "skipped" })
    }

    @Test("a server that refuses above 2 requests in flight (1302): concurrency backs off and every cell still passes")
    func rateLimited() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let words = (1...12).map { "w\($0)" }
        let entries = words.map { w in
            "  - name: \(w)\n    vars: {word: \(w)}\n    assert:\n      - contains: \"repeat \(w)\"\n"
        }
        let cases = "cases:\n" + entries.joined()
        let dir = try workspace(cases: cases)
        let base = sim.baseURL.absoluteString
        let r = try await eval(dir, ["--json", "--concurrency", "8", "--model", "sim/busy:2"], base: base)
        #expect(r.status == 0, "\(r.stderr)")
        let cells = JSONValue.parse(r.stdout)?["cases"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first } ?? []
        #expect(cells.count == 12 && cells.allSatisfy { $0["status"]?.stringValue == "pass" }, "\(r.stdout)")
        let seen = sim.concurrency(scenario: "busy:2")
        #expect(seen.peak == 2, "the server never had more than its limit in flight")
        #expect(seen.refused > 0, "8 at once against a limit of 2: the server pushed back")
        #expect(sim.requestCount(scenario: "busy:2") == 12 + seen.refused)
    }

    @Test("--dry-run prints the matrix and sends nothing")
    func dryRun() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        let r = try await eval(dir, ["--dry-run", "--repeat", "3"], base: sim.baseURL.absoluteString)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("6 cells"))
        #expect(sim.requestCount(scenario: "text") == 0)
    }

    @Test("--repeat sends each case N times against the real server; the table shows k/N")
    func repeats() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        let r = try await eval(dir, ["--repeat", "3", "--concurrency", "2"], base: sim.baseURL.absoluteString)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(sim.requestCount(scenario: "text") == 6)
        #expect(r.stdout.contains("3/3"), "\(r.stdout)")
    }

    @Test("the log is the cache: a second run sends nothing and labels its cells cached with the run they came from; --no-cache sends again")
    func cache() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        let base = sim.baseURL.absoluteString
        let first = try await eval(dir, ["--json", "--repeat", "2"], base: base)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(sim.requestCount(scenario: "text") == 4)
        let second = try await eval(dir, ["--json", "--repeat", "2"], base: base)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(sim.requestCount(scenario: "text") == 4, "a second run sends nothing")
        let firstIds = Set(JSONValue.parse(first.stdout)?["cases"]?.arrayValue?.flatMap { $0["cells"]?.arrayValue ?? [] }.compactMap { $0["run_id"]?.stringValue } ?? [])
        let cells = JSONValue.parse(second.stdout)?["cases"]?.arrayValue?.flatMap { $0["cells"]?.arrayValue ?? [] } ?? []
        #expect(cells.count == 4)
        for c in cells {
            #expect(c["cached"] != nil && c["cached"] != .null && c["cached"] != .bool(false), "\(c)")
            #expect(c["run_id"]?.stringValue.map(firstIds.contains) == true, "the cached cell names the run it came from")
        }
        _ = try await eval(dir, ["--no-cache"], base: base)
        #expect(sim.requestCount(scenario: "text") == 6)
    }

    @Test("a sent cell says why the log could not answer it: the field the template edit changed")
    func cacheMissExplained() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let base = sim.baseURL.absoluteString
        let dir = try workspace(cases: Self.passing)
        func cells(_ r: CLIResult) -> [JSONValue] {
            JSONValue.parse(r.stdout)?["cases"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first } ?? []
        }
        let first = try await eval(dir, ["--json"], base: base)
        let none = cells(first).allSatisfy { $0["cache_miss"]?.stringValue?.contains("no earlier evaluation") == true }
        #expect(none, "\(first.stdout)")
        try Self.template.replacingOccurrences(of: "Please repeat", with: "Kindly repeat")
            .write(toFile: dir + "/greet.md", atomically: true, encoding: .utf8)
        let second = try await eval(dir, ["--json"], base: base)
        #expect(cells(second).count == 2)
        for c in cells(second) {
            let why = c["cache_miss"]?.stringValue ?? ""
            #expect(why.contains("messages[0].content: \"Please repeat") && why.contains("→ \"Kindly repeat"), "\(why)")
        }
        let third = try await eval(dir, ["--json"], base: base)
        #expect(cells(third).allSatisfy { $0["cache_miss"] == nil && $0["cached"] == .bool(true) }, "\(third.stdout)")
    }

    @Test("eval show ID prints a logged evaluation again and exits as it did; eval diff lists regressions and exits 1; an unknown id is 2")
    func showAndDiff() async throws {
        let dir = try workspace(cases: Self.passing)
        let first = try await eval(dir, ["--json"])
        let id1 = try #require(JSONValue.parse(first.stdout)?["eval_id"]?.stringValue)
        try Self.passing.replacingOccurrences(of: "not-contains: \"apple\"", with: "contains: \"banana\"")
            .write(toFile: dir + "/greet.cases.yaml", atomically: true, encoding: .utf8)
        let second = try await eval(dir, ["--json"])
        #expect(second.status == 1)
        let id2 = try #require(JSONValue.parse(second.stdout)?["eval_id"]?.stringValue)
        let env = ["XDG_CONFIG_HOME": dir + "/config"]
        let show = try await glmwb(["eval", "show", id1, "--json", "--data-dir", dir + "/data"], env: env)
        #expect(show.status == 0, "\(show.stderr)")
        let cells = JSONValue.parse(show.stdout)?["cases"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first } ?? []
        #expect(cells.map { $0["status"]?.stringValue } == ["pass", "pass"])
        #expect(try await glmwb(["eval", "show", id2, "--data-dir", dir + "/data"], env: env).status == 1)
        let diff = try await glmwb(["eval", "diff", id1, id2, "--data-dir", dir + "/data"], env: env)
        #expect(diff.status == 1)
        #expect(diff.stdout.contains("regressed  pear"), "\(diff.stdout)")
        #expect(try await glmwb(["eval", "diff", id1, id1, "--data-dir", dir + "/data"], env: env).status == 0)
        #expect(try await glmwb(["eval", "show", "nope", "--data-dir", dir + "/data"], env: env).status == 2)
        let list = try await glmwb(["logs", "evals", "--json", "--data-dir", dir + "/data"], env: env)
        #expect(list.status == 0)
        #expect(Set(JSONValue.parse(list.stdout)?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) == [id1, id2])
    }

    @Test("eval rescore: edited assertions over the logged outputs; nothing sent; the flip is a new evaluation")
    func rescore() async throws {
        let sim = try await GLMSimServer.start()
        defer { Task { try? await sim.shutdown() } }
        let dir = try workspace(cases: Self.passing)
        let first = try await eval(dir, ["--json"], base: sim.baseURL.absoluteString)
        #expect(first.status == 0, "\(first.stderr)")
        let sent = sim.requestCount(scenario: "text")
        let id1 = try #require(JSONValue.parse(first.stdout)?["eval_id"]?.stringValue)
        try Self.passing.replacingOccurrences(of: "not-contains: \"apple\"", with: "contains: \"banana\"")
            .write(toFile: dir + "/greet.cases.yaml", atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": dir + "/config"]
        let r = try await glmwb(
            ["eval", "rescore", String(id1.prefix(6)), "--json", "--data-dir", dir + "/data"], env: env)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(sim.requestCount(scenario: "text") == sent, "rescoring sends nothing")
        let json = try #require(JSONValue.parse(r.stdout))
        let id2 = try #require(json["eval_id"]?.stringValue)
        #expect(id2 != id1)
        let cells = json["cases"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first } ?? []
        #expect(cells.map { $0["status"]?.stringValue } == ["pass", "fail"])
        let reasons = cells.last?["assertions"]?.arrayValue?.compactMap { $0["reason"]?.stringValue } ?? []
        #expect(reasons.contains { $0.contains("banana") }, "\(reasons)")
        #expect(r.stderr.contains("1 regressed, 0 improved"), "\(r.stderr)")
        let diff = try await glmwb(["eval", "diff", id1, id2, "--data-dir", dir + "/data"], env: env)
        #expect(diff.status == 1 && diff.stdout.contains("regressed  pear"), "\(diff.stdout)")
        // The cases file gone: a clear usage error, not a crash or a silent pass.
        try FileManager.default.removeItem(atPath: dir + "/greet.cases.yaml")
        let missing = try await glmwb(["eval", "rescore", id1, "--data-dir", dir + "/data"], env: env)
        #expect(missing.status == 2 && missing.stderr.contains("--cases"), "\(missing.stderr)")
    }

    @Test("--against HEAD in a temporary git repository: the committed template is its own column, labelled with the revision and sha")
    func againstHead() async throws {
        let dir = try workspace(cases: """
        cases:
          - name: edit
            vars: {word: kiwi}
            assert:
              - contains: "Please repeat kiwi"
        """)
        func git(_ args: [String]) async throws {
            let r = try await command(["git", "-C", dir, "-c", "user.name=t", "-c", "user.email=t@t"] + args)
            #expect(r.status == 0, "git \(args): \(r.output)")
        }
        try await git(["init", "-q"])
        try await git(["add", "greet.md", "greet.cases.yaml"])
        try await git(["commit", "-q", "-m", "v1"])
        // The working copy's edit breaks the case; HEAD's version still passes.
        try Self.template.replacingOccurrences(of: "Please repeat", with: "Kindly echo").write(toFile: dir + "/greet.md", atomically: true, encoding: .utf8)
        let r = try await eval(dir, ["--against", "HEAD", "--json"])
        #expect(r.status == 1, "\(r.stderr)")
        let o = try #require(JSONValue.parse(r.stdout))
        let variants = o["variants"]?.arrayValue ?? []
        #expect(variants.count == 2)
        #expect(variants.last?["source"]?["kind"]?.stringValue == "git")
        #expect(variants.last?["source"]?["rev"]?.stringValue == "HEAD")
        #expect((variants.last?["source"]?["sha"]?.stringValue?.count ?? 0) == 40)
        let cells = o["cases"]?.arrayValue?.first?["cells"]?.arrayValue ?? []
        #expect(cells.map { $0["status"]?.stringValue } == ["fail", "pass"])
        #expect(try await eval(dir, ["--against", "no-such-rev"]).status == 2)
    }

    /// A two-cell evaluation on the slow simulated model, started, and its stderr file.
    func slowEval(stdout: Any) throws -> (Process, String) {
        let dir = try workspace(cases: Self.passing)
        let p = glmwbProcess(
            [
                "eval", dir + "/greet.md", "--provider", "sim", "--model", "sim/slow:300", "--concurrency", "1",
                "--json", "--data-dir", dir + "/data",
            ], env: ["XDG_CONFIG_HOME": dir + "/config"])
        let errPath = dir + "/stderr"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardOutput = stdout
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        try p.run()
        return (p, errPath)
    }

    /// Runs `action` as soon as the evaluation's first cell is under way (its progress line says
    /// 0/2), however slow the machine (a loaded CI start took over 10 s), on a thread of its own
    /// (`onOwnThread`). Not on the test's task: a task waits for a thread of the pool while other
    /// tests run theirs to the end, and in a fresh-clone CI run this test's 50 ms sleeps woke 20 s
    /// late, after the evaluation had ended, so the signal went to a process that was gone.
    func whenUnderWay<T: Sendable>(_ errPath: String, _ action: @escaping @Sendable () -> T) async -> T {
        await onOwnThread {
            for _ in 0..<12_000
            where !((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "").contains("0/2") {
                usleep(50_000)
            }
            return action()
        }
    }

    /// The signal lines of a process and of each of its threads (`/proc`), for a failure message.
    static func signalState(_ pid: Int32) -> String {
        let keys = ["State", "SigPnd", "ShdPnd", "SigBlk", "SigIgn", "SigCgt"]
        func lines(_ path: String) -> String {
            let text = (try? String(contentsOfFile: path + "/status", encoding: .utf8)) ?? ""
            let wchan = (try? String(contentsOfFile: path + "/wchan", encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { l in keys.contains { l.hasPrefix($0 + ":") } }
                .joined(separator: " ") + " wchan " + wchan
        }
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return "process: " + lines("/proc/\(pid)") + "\n"
            + threads.sorted().map { "  \($0): " + lines("/proc/\(pid)/task/\($0)") }.joined(separator: "\n")
    }

    @Test("Ctrl-C always has a thread to land on: besides the main thread, one thread leaves SIGINT unblocked")
    func interruptHasAThread() async throws {
        let (p, errPath) = try slowEval(stdout: FileHandle.nullDevice)
        // libdispatch's threads (and NIO's, which inherit their mask) block SIGINT, and the main
        // thread takes it only once parked at the end of dispatch_main's cleanup.
        let pid = p.processIdentifier
        let (threads, open) = await whenUnderWay(errPath) { () -> ([String], [String]) in
            let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
            let open = threads.filter { tid in
                guard tid != "\(pid)",
                    let status = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/status", encoding: .utf8),
                    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigBlk:") }),
                    let mask = UInt64(line.dropFirst("SigBlk:".count).trimmingCharacters(in: .whitespaces), radix: 16)
                else { return false }
                return mask & (1 << (UInt64(SIGINT) - 1)) == 0
            }
            kill(pid, SIGINT)
            return (threads, open)
        }
        #expect(threads.count > 1 && !open.isEmpty, "threads \(threads), none but the main one takes SIGINT")
        await untilExit(p)
        #expect(p.terminationStatus == 130)
    }

    @Test("Ctrl-C mid-run: running cells are cancelled, the rest not started, what is done is printed, exit 130")
    func interrupt() async throws {
        let out = Pipe()
        let started = Date()
        let (p, errPath) = try slowEval(stdout: out)
        let pid = p.processIdentifier
        let (sawProgress, sent, after) = await whenUnderWay(errPath) { () -> (Double, Int32, String) in
            let seen = Date().timeIntervalSince(started)
            usleep(300_000)
            let sent = kill(pid, SIGINT)
            // What the process did with the signal, should it not end: said in the failure.
            usleep(200_000)
            return (seen, sent, Self.signalState(pid))
        }
        let data = await readToEnd(out.fileHandleForReading)
        await untilExit(p)
        #expect(
            p.terminationStatus == 130,
            """
            progress seen after \(sawProgress) s; kill returned \(sent); ended after \(Date().timeIntervalSince(started)) s
            stderr: \((try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
            200 ms after the signal: \(after)
            """)
        let o = JSONValue.parse(String(decoding: data, as: UTF8.self))
        let cells = o?["cases"]?.arrayValue?.compactMap { $0["cells"]?.arrayValue?.first } ?? []
        // The first cell may finish before the signal on a loaded machine; the one after it never
        // runs to a verdict: it is cancelled (an error) or never started (skipped).
        let statuses = cells.compactMap { $0["status"]?.stringValue }
        #expect(statuses.count == 2, "\(String(decoding: data, as: UTF8.self))")
        #expect(["error", "skipped"].contains(statuses.last ?? ""), "\(statuses)")
        #expect(!statuses.contains("pass"), "\(statuses)")
    }
}
