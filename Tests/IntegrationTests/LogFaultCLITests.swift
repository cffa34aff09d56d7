import Foundation
import GRDB
import Testing
@testable import WorkbenchCore

/// The run log under faults, through the real binary: racing first starters, a log the user
/// cannot write, a full disk, impossible numbers, a run past its event budget.
@Suite("Run log faults (binary)", .serialized)
struct LogFaultCLITests {
    @Test("8 first runs into a new data dir at once all succeed and are all logged (3 rounds)")
    func concurrentFirstStarters() async throws {
        for _ in 0..<3 {
            let dir = tempDataDir() + "/new"
            var running: [(Process, String)] = []
            for i in 0..<8 {
                let p = glmwbProcess(["run", "--provider", "sim", "--data-dir", dir, "hi \(i)"])
                let errPath = tempDataDir() + "/stderr"
                _ = FileManager.default.createFile(atPath: errPath, contents: nil)
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle(forWritingAtPath: errPath)
                p.standardInput = FileHandle.nullDevice
                running.append((p, errPath))
            }
            for (p, _) in running { try p.run() }
            for (p, errPath) in running {
                await untilExit(p)
                let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
                #expect(p.terminationStatus == 0, "\(err)")
            }
            let list = try await glmwb(["logs", "list", "--json", "--data-dir", dir])
            #expect(list.status == 0, "\(list.stderr)")
            #expect(JSONValue.parse(list.stdout)?.arrayValue?.count == 8)
        }
    }

    /// Root ignores permission bits, so as root the reader runs as `nobody` (setpriv): the log
    /// really cannot be written then, as for a user reading someone else's log.
    @Test("reading commands work on a log whose file and folder are not writable; run says so in one line")
    func readOnlyLog() async throws {
        let dir = tempDataDir() + "/ro"
        let first = try await glmwb(["run", "--provider", "sim", "--json", "--data-dir", dir, "hello"])
        #expect(first.status == 0, "\(first.stderr)")
        let id = try #require(JSONValue.parse(first.stdout)?["run_id"]?.stringValue)
        chmod(RunLog.path(inDataDir: dir), 0o444)
        chmod(dir, 0o555)
        defer { chmod(dir, 0o755); chmod(RunLog.path(inDataDir: dir), 0o644) }
        let asReader: (String) async throws -> CLIResult = { args in
            getuid() == 0
                ? try await glmwb(
                    [], via: .shell("exec setpriv --reuid=65534 --regid=65534 --clear-groups \"$0\" " + args))
                : try await glmwb([], via: .shell("exec \"$0\" " + args))
        }
        if getuid() == 0 {
            // The setup is real: a write as this user fails.
            let write = "setpriv --reuid=65534 --regid=65534 --clear-groups sh -c ': >> \"$1\"' sh \"$1\""
            let probe = try await glmwb([RunLog.path(inDataDir: dir)], via: .shell(write))
            #expect(probe.status != 0, "nobody must not be able to write the log")
        }
        let list = try await asReader("logs list --data-dir \(dir)")
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains(id))
        for args in ["logs show \(id) --data-dir \(dir)", "logs show \(id) --events --json --data-dir \(dir)", "logs search hello --data-dir \(dir)",
                     "logs stats --data-dir \(dir)", "logs export \(id) --format md --data-dir \(dir)", "logs comparisons --data-dir \(dir)"] {
            let r = try await asReader(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
        }
        let run = try await asReader("run --provider sim --data-dir \(dir) again")
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("cannot use \(dir) as the data dir: "), "\(run.stderr)")
    }

    @Test("a full disk (file size limit): the reply is printed, one stderr line says the log failed, exit 3")
    func fullDisk() async throws {
        let dir = tempDataDir()
        let first = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "small"])
        #expect(first.status == 0, "\(first.stderr)")
        // SIGXFSZ ignored: a write past the limit fails with EFBIG, as on a full disk.
        let limited = "trap '' XFSZ; ulimit -f 200; exec \"$0\" \"$@\""
        let long = ["run", "--provider", "sim", "--model", "sim/long:20000"]
        let r = try await glmwb(long + ["--json", "--data-dir", dir, "big"], via: .shell(limited))
        #expect(r.status == 3, "\(r.stderr)")
        let obj = try #require(JSONValue.parse(r.stdout), "--json still prints the record: \(r.stdout.prefix(200))")
        #expect(obj["content"]?.stringValue?.contains("w20000") == true)
        #expect(obj["status"] == .string("ok"))
        let failLines = r.stderr.split(separator: "\n").filter { $0.hasPrefix("[glmwb] the run log could not be written: ") }
        #expect(failLines.count == 1, "\(r.stderr)")
        #expect(failLines.first?.contains(RunLog.path(inDataDir: dir)) == true)

        let text = try await glmwb(long + ["--data-dir", dir, "big again"], via: .shell(limited))
        #expect(text.status == 3)
        #expect(text.stdout.contains("w20000"), "the reply is never lost from stdout")
        #expect(text.stderr.contains("[glmwb] the run log could not be written: "))

        // Without the limit the log is intact and usable.
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        #expect(try await q.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        try q.close()
        let after = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "after"])
        #expect(after.status == 0, "\(after.stderr)")
    }

    @Test("logs stats on huge and negative counts: no trap, overflow and invalid rows labelled")
    func hostileStats() async throws {
        let dir = tempDataDir()
        let log = try RunLog(dataDir: dir)
        var ids: [String] = []
        for prompt in ["a", "b", "c"] {
            let r = try await glmwb(["run", "--provider", "sim", "--json", "--data-dir", dir, prompt])
            ids.append(try #require(JSONValue.parse(r.stdout)?["run_id"]?.stringValue))
        }
        let q = try DatabaseQueue(path: log.path)
        try await q.write { [ids] db in
            for id in ids.prefix(2) {
                try db.execute(sql: "UPDATE runs SET prompt_tokens = ?, completion_tokens = ? WHERE id = ?", arguments: [Int.max, Int.max, id])
            }
            try db.execute(sql: "UPDATE runs SET prompt_tokens = -5, completion_tokens = -100, cost_usd = '-100.0000005' WHERE id = ?", arguments: [ids[2]])
        }
        let table = try await glmwb(["logs", "stats", "--data-dir", dir])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("overflow"))
        #expect(table.stdout.contains("+ 1 run with invalid usage (not counted)"))
        #expect(!table.stdout.contains("$-"), "no negative dollars")
        let json = try await glmwb(["logs", "stats", "--json", "--data-dir", dir])
        #expect(json.status == 0, "\(json.stderr)")
        let total = JSONValue.parse(json.stdout)?["total"]
        #expect(total?["tokens_overflowed"] == .bool(true))
        #expect(total?["invalid_runs"] == .number(1))
        #expect(total?["prompt_tokens"] == .null)
        let list = try await glmwb(["logs", "list", "--data-dir", dir])
        #expect(list.status == 0, "\(list.stderr)")
    }

    @Test("logs show: counts from the run row, the budget note, --events streamed as valid JSON")
    func showCountsAndBudget() async throws {
        let dir = tempDataDir()
        let log = try RunLog(dataDir: dir, eventBudget: 1024)
        let req = ChatRequest(model: Provider.glmModel, messages: [.user("flood")], stream: true)
        let start = RunStart(runId: RunID.make(), conversationId: "c", parentRunId: nil, provider: "sim", baseURL: "http://127.0.0.1:1/v4",
                             model: req.model, mode: .stream, request: req, requestJSON: WireJSON.string(req), templateName: nil,
                             templateVariables: nil, startedAt: Date(), promptEstimate: 1)
        log.begin(start)
        let z = RawPayload(String(repeating: "z", count: 100))
        log.record(runId: start.runId, (0..<20).map { .payload(seq: $0, offsetMicros: Int64($0 * 10), data: z) })
        try await log.flush()
        let show = try await glmwb(["logs", "show", start.runId, "--data-dir", dir])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("### events: 10\n"))
        #expect(show.stdout.contains("raw events beyond 1 KiB not stored: 10 events, 1000 bytes"))
        let events = try await glmwb(["logs", "show", start.runId, "--events", "--json", "--data-dir", dir])
        #expect(events.status == 0, "\(events.stderr)")
        let obj = try #require(JSONValue.parse(events.stdout), "\(events.stdout)")
        #expect(obj["events"]?.arrayValue?.count == 10)
        #expect(obj["events"]?.arrayValue?.last?["seq"] == .number(9))
        #expect(obj["event_count"] == .number(10))
        #expect(obj["events_not_stored"]?["bytes"] == .number(1000))
    }
}
