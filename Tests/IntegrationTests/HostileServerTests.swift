import Foundation
import Testing
import WorkbenchCore

/// `Tests/Hostile/hostile_server.py`, started once for the suite: every fault has its own base URL.
actor HostileServer {
    static let shared = HostileServer()
    private var port: Int?
    private var process: Process?
    private var lifeline: Pipe?

    func baseURL(_ fault: String) throws -> String {
        if port == nil {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["python3", projectRoot.appendingPathComponent("Tests/Hostile/hostile_server.py").path, "--until-stdin-closes"]
            let out = Pipe(), lifeline = Pipe()
            p.standardOutput = out
            // Its stderr must not be the test runner's: an inherited pipe keeps the runner waiting.
            p.standardError = FileHandle.nullDevice
            // The server exits when this pipe closes, that is when the test process ends.
            p.standardInput = lifeline
            try p.run()
            self.lifeline = lifeline
            var line = Data()
            while let b = try out.fileHandleForReading.read(upToCount: 1), !b.isEmpty, b != Data("\n".utf8) { line.append(b) }
            port = Int(String(decoding: line, as: UTF8.self))
            process = p
        }
        return "http://127.0.0.1:\(port ?? 0)/\(fault)/v1"
    }
}

/// The binary against a server that lies, floods, bombs, redirects and stalls. Each case checks
/// what the user sees: no crash, a clear line, honest numbers, bounded memory (the peak RSS of
/// the child, from /usr/bin/time), and a log that holds the run.
@Suite("Hostile servers", .serialized)
struct HostileServerTests {
    /// Runs `glmwb run` against a fault under /usr/bin/time, which reports the child's peak RSS.
    func run(_ fault: String, _ extra: [String] = [], json: Bool = true) async throws -> CLIResult {
        let url = try await HostileServer.shared.baseURL(fault)
        let args = ["run", "--provider", "openai", "--base-url", url, "--data-dir", tempDataDir()]
        return try await glmwb(args + (json ? ["--json"] : []) + extra + ["hi"], via: .measuringPeakRSS)
    }

    @Test("usage that is huge, negative, fractional or does not add up: the run keeps its text, usage is estimated and labelled",
          arguments: ["usage_huge", "usage_negative", "usage_mismatch", "usage_float"])
    func invalidUsage(_ fault: String) async throws {
        for mode in ["--stream", "--no-stream"] {
            let r = try await run(fault, [mode])
            #expect(r.status == 0, "\(fault) \(mode): \(r.stderr)")
            let o = try #require(r.json, "\(r.stdout)")
            #expect(o["content"] == .string("Hello world."))
            #expect(o["usage"]?["source"] == .string("estimated"))
            let prompt = o["usage"]?["prompt_tokens"]?.numberValue ?? -1
            #expect(prompt >= 0 && prompt < 1000, "estimated, not the server's number: \(prompt)")
            #expect(o["anomalies"]?.arrayValue?.first?.stringValue?.contains("the server's usage was invalid") == true, "\(r.stdout)")
        }
        let text = try await run(fault, json: false)
        #expect(text.stderr.contains("note: the server's usage was invalid"), "\(text.stderr)")
    }

    @Test("a log holding runs with absurd usage still has stats (no trap)")
    func statsAfterHostileUsage() async throws {
        let dir = tempDataDir()
        let url = try await HostileServer.shared.baseURL("usage_huge")
        let r = try await glmwb(["run", "--provider", "openai", "--base-url", url, "--data-dir", dir, "hi"])
        #expect(r.status == 0, "\(r.stderr)")
        let stats = try await glmwb(["logs", "stats", "--data-dir", dir, "--json"])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(JSONValue.parse(stats.stdout)?["total"]?["runs"] == .number(1))
    }

    @Test("one endless data: line is cut at the 64 MiB event cap: a clear error, bounded memory (was 2.15 GB)")
    func endlessLine() async throws {
        let r = try await run("endless_line")
        #expect(r.status == 1)
        #expect(r.stderr.contains("grew past 64 MiB"), "\(r.stderr)")
        let rss = try #require(r.maxRSSKiB)
        #expect(rss < 400 * 1024, "peak RSS \(rss) KiB")
    }

    @Test("an endless line right after a complete event in the same read: reading stops at the cap, not at the end of the body")
    func endlessAfterEvent() async throws {
        let r = try await run("endless_after_event")
        #expect(r.status == 1)
        #expect(r.stderr.contains("grew past 64 MiB"), "\(r.stderr)")
        #expect(r.json?["content"] == .string("Hello"), "the event before the endless line is kept")
        // The server counts what it managed to send before the client went away.
        let stats = try await HostileServer.shared.baseURL("stats").replacingOccurrences(of: "/stats/v1", with: "/stats")
        var sent: Double?
        for _ in 0..<1800 { // polls until it is there; minutes only on a loaded machine
            let body = try await command(["curl", "-s", stats]).output
            sent = JSONValue.parse(body)?["endless_sent"]?.numberValue
            if sent != nil { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let bytes = try #require(sent, "the server never finished the response")
        #expect(bytes < 1024 * 1024 * 1024, "the client kept reading: \(bytes) bytes sent")
    }

    @Test("a gzip bomb is stopped by the decompression ratio limit (was 2.55 GB)")
    func gzipBomb() async throws {
        let r = try await run("gzip_bomb")
        #expect(r.status == 1)
        #expect(r.stderr.contains("decompression bomb"), "\(r.stderr)")
        let rss = try #require(r.maxRSSKiB)
        #expect(rss < 400 * 1024, "peak RSS \(rss) KiB")
    }

    @Test("a 500 with a 12 MB body is reported as HTTP 500 (read up to a cap), retried, and says so")
    func bigErrorBody() async throws {
        let r = try await run("big_error")
        #expect(r.status == 1)
        let o = try #require(r.json)
        #expect(o["error"]?["http_status"] == .number(500), "\(r.stdout.prefix(400))")
        #expect(o["error"]?["kind"] == .string("api"))
        #expect(r.stderr.contains("Retried 3×"), "\(r.stderr.prefix(600))")
        #expect(o["retries"]?.arrayValue?.count == 3)
        #expect(!r.stderr.contains("TooManyBytes"))
    }

    @Test("a redirect is an error that names the target; the POST is never resent as a GET")
    func redirect() async throws {
        let r = try await run("redirect")
        #expect(r.status == 1)
        let o = try #require(r.json)
        #expect(o["status"] == .string("failed"))
        #expect(o["error"]?["http_status"] == .number(301))
        #expect(o["error"]?["message"]?.stringValue?.contains("/elsewhere/v1/chat/completions") == true)
        #expect(o["usage"]?["source"] == .string("not_billed"))
    }

    @Test("control characters from the server reach a pipe byte for byte and a terminal only as visible text")
    func controlCharacters() async throws {
        let piped = try await run("control_chars", json: false)
        #expect(piped.status == 0)
        #expect(piped.stdout.contains("\u{1B}]52;c;"), "a pipe gets the exact bytes")
        // Through a pseudo-terminal (`script`), the escape sequences are shown, not obeyed.
        let url = try await HostileServer.shared.baseURL("control_chars")
        let dir = tempDataDir()
        let cmd = "\(glmwbBinary) run --provider openai --base-url \(url) --data-dir \(dir) hi"
        let tty = try await command(["script", "-qec", cmd, "/dev/null"]).output
        #expect(!tty.contains("\u{1B}]52"), "no clipboard write reaches the terminal")
        #expect(!tty.contains("\u{1B}[2J") && !tty.contains("\u{1B}]0;"))
        #expect(tty.contains("\u{241B}]52;c;"), "the sequence is visible: \(tty.prefix(300))")
        let raw = try await command([
            "script", "-qec", cmd.replacingOccurrences(of: " run ", with: " run --raw "), "/dev/null",
        ]).output
        #expect(raw.contains("\u{1B}]52;c;"), "--raw opts out")
        let error = try await command([
            "script", "-qec", cmd.replacingOccurrences(of: "control_chars", with: "control_error"), "/dev/null",
        ]).output
        #expect(
            error.contains("bad \u{241B}]0;pwned"),
            "error text from the server is made visible too: \(error.prefix(300))")
    }

    @Test("empty data: lines are ignored and counted; the run succeeds")
    func emptyData() async throws {
        let r = try await run("empty_data")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json?["content"] == .string("Hello world."))
        #expect(r.json?["anomalies"] == .array([.string("2 empty data: line(s) ignored")]), "\(r.stdout)")
    }

    @Test("choices as an object and delta as a string are counted as malformed, not dropped", arguments: ["choices_object", "delta_string"])
    func wrongShapes(_ fault: String) async throws {
        let r = try await run(fault)
        #expect(r.status == 1)
        let o = try #require(r.json)
        #expect(o["error"]?["kind"] == .string("malformed"))
        #expect(o["content"] == .string("Hello"), "what was valid is kept")
    }

    @Test("no answer, no bill: a 200 with an error body and a stream that stalls after its headers cost $0, labelled",
          arguments: [("json_error_200", [String]()), ("stall_after_headers", ["--read-timeout", "1"])])
    func notBilled(_ fault: String, _ extra: [String]) async throws {
        let r = try await run(fault, extra)
        #expect(r.status == 1)
        let o = try #require(r.json)
        #expect(o["usage"]?["source"] == .string("not_billed"), "\(r.stdout.prefix(300))")
        #expect(o["usage"]?["prompt_tokens"] == .number(0))
        #expect(o["cost_usd"] == .number(0))
        let text = try await run(fault, extra, json: false)
        #expect(text.stderr.contains("not billed (no answer)"), "\(text.stderr)")
    }

    @Test("a server that never answers: a timed-out POST is retried once, and the retry is shown")
    func neverAnswers() async throws {
        let r = try await run("never_answers", ["--read-timeout", "1"])
        #expect(r.status == 1)
        let o = try #require(r.json)
        #expect(o["retries"]?.arrayValue?.count == 1)
        #expect(o["retries"]?.arrayValue?.first?["message"]?.stringValue?.contains("may have been billed") == true)
        #expect(r.stderr.contains("Retried 1×") && r.stderr.contains("retried at most once"), "\(r.stderr)")
    }

    @Test("the error says what happened to retries, not what usually happens",
          arguments: [("retry_after_huge", "Not retried: the server asked to wait 3600 s"), ("should_retry_false", "Not retried: the server said not to")])
    func retryTruth(_ fault: String, _ said: String) async throws {
        let r = try await run(fault)
        #expect(r.status == 1)
        #expect(r.stderr.contains(said), "\(r.stderr)")
        #expect(!r.stderr.contains("Retried with backoff"))
    }

    @Test("--json with an API error still names the cause on stderr")
    func jsonErrorOnStderr() async throws {
        let r = try await run("should_retry_false")
        #expect(r.json?["error"] != nil && r.json?["error"] != .null)
        #expect(r.stderr.contains("API error (code 500, HTTP 500)"), "\(r.stderr)")
    }
}
