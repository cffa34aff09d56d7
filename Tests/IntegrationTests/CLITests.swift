import Foundation
import GLMSim
import GRDB
import Testing
import WorkbenchCore

@Suite("The glmwb binary", .serialized)
struct CLITests {
    @Test("run --json prints one run record with the documented fields")
    func runJSON() async throws {
        let dir = tempDataDir()
        let r = try await glmwb([
            "run", "--provider", "sim", "--model", "sim/tool_call", "--data-dir", dir, "--json", "Weather?",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(JSONValue.parse(r.stdout), "stdout is one JSON object: \(r.stdout)")
        for key in ["run_id", "mode", "content", "tool_calls", "finish_reason", "usage", "cost_usd", "timings", "chunks", "error"] {
            #expect(obj[key] != nil, "missing \(key)")
        }
        #expect(obj["mode"] == .string("stream"))
        #expect(obj["error"] == .null)
        #expect(obj["finish_reason"] == .string("tool_calls"))
        #expect(obj["usage"]?["source"] == .string("reported"))
        #expect(obj["timings"]?["ttft_ms"]?.objectValue == nil && obj["timings"]?["ttft_ms"] != .null)
        let call = try #require(obj["tool_calls"]?.arrayValue?.first)
        #expect(call["name"] == .string("get_weather"))
        #expect(call["arguments"]?.stringValue.flatMap(JSONValue.parse) == .object(["city": .string("Paris")]))
        #expect(call["id"]?.stringValue?.isEmpty == false)
    }

    @Test("plain run: the reply on stdout, the usage/cost line on stderr; --no-stream works too")
    func runPlain() async throws {
        let dir = tempDataDir()
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "--system", "Be kind.", "Hello CLI"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("Hello from GLMSim. You said: Hello CLI."))
        #expect(r.stderr.contains("2 in") || r.stderr.contains(" in / "))
        #expect(r.stderr.contains("would cost"))
        let n = try await glmwb(["run", "--provider", "sim", "--data-dir", dir, "--no-stream", "--json", "Hi"])
        #expect(JSONValue.parse(n.stdout)?["mode"] == .string("non_stream"))
    }

    @Test("the prompt can come from stdin")
    func stdinPrompt() async throws {
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", tempDataDir()], stdin: "piped question\n")
        #expect(r.status == 0)
        #expect(r.stdout.contains("You said: piped question"))
    }

    @Test("an API error exits 1 with one clear line naming the code and its meaning")
    func apiError() async throws {
        let r = try await glmwb([
            "run", "--provider", "sim", "--model", "sim/error:1113", "--data-dir", tempDataDir(), "x",
        ])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.contains { $0.contains("code 1113") && $0.contains("insufficient balance") })
        let j = try await glmwb([
            "run", "--provider", "sim", "--model", "sim/error:1113", "--data-dir", tempDataDir(), "--json", "x",
        ])
        #expect(j.status == 1)
        #expect(JSONValue.parse(j.stdout)?["error"]?["code"] == .string("1113"))
        #expect(JSONValue.parse(j.stdout)?["error"]?["retryable"] == .bool(false))
    }

    @Test("bad usage exits 2 with a message", arguments: [
        ["run", "--temperature", "abc", "x"], ["run", "--provider", "nope", "x"], ["run", "--provider", "sim", "--region", "eu", "x"],
        ["run", "--provider", "sim"], ["logs", "export", "zzzz", "--format", "pdf"], ["frobnicate"],
    ])
    func badUsage(_ args: [String]) async throws {
        let r = try await glmwb(args + ["--data-dir", tempDataDir()])
        #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    @Test("zai without a key is a usage error that says how to set one")
    func noKey() async throws {
        let r = try await glmwb(["run", "--provider", "zai", "--data-dir", tempDataDir(), "x"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("ZAI_API_KEY"))
    }

    @Test("logs list, show, search and export read what run wrote; the curl export replays the request")
    func logs() async throws {
        let server = try await SharedSim.shared.get()
        let dir = tempDataDir()
        let base = server.baseURL.absoluteString
        let run = try await glmwb([
            "run", "--provider", "sim", "--base-url", base, "--data-dir", dir, "--json", "remember the zebra",
        ])
        let id = try #require(JSONValue.parse(run.stdout)?["run_id"]?.stringValue)
        let list = try await glmwb(["logs", "list", "--data-dir", dir])
        #expect(list.stdout.contains(id))
        let show = try await glmwb(["logs", "show", String(id.prefix(5)), "--data-dir", dir, "--json", "--events"])
        #expect(JSONValue.parse(show.stdout)?["events"]?.arrayValue?.isEmpty == false)
        let search = try await glmwb(["logs", "search", "zebra", "--data-dir", dir, "--json"])
        #expect(JSONValue.parse(search.stdout)?.arrayValue?.first?["run_id"] == .string(id))
        let md = try await glmwb(["logs", "export", id, "--format", "md", "--data-dir", dir])
        #expect(md.stdout.contains("remember the zebra"))
        let jsonl = try await glmwb(["logs", "export", id, "--format", "jsonl", "--data-dir", dir])
        #expect(JSONValue.parse(jsonl.stdout)?["content"] == JSONValue.parse(run.stdout)?["content"])
        let curl = try await glmwb(["logs", "export", id, "--format", "curl", "--data-dir", dir])
        let replay = try await runShell(curl.stdout).stdout
        #expect(replay.contains("data: [DONE]"))
        #expect(replay.contains("remember"))
    }

    @Test("SIGKILL mid-stream: the log opens, earlier runs are whole, the cut run is marked interrupted")
    func sigkill() async throws {
        let server = try await SharedSim.shared.get()
        let dir = tempDataDir()
        let base = server.baseURL.absoluteString
        let first = try await glmwb([
            "run", "--provider", "sim", "--base-url", base, "--data-dir", dir, "--json", "first run",
        ])
        let firstId = try #require(JSONValue.parse(first.stdout)?["run_id"]?.stringValue)

        let p = glmwbProcess([
            "run", "--provider", "sim", "--base-url", base, "--model", "sim/slow:100", "--data-dir", dir, "doomed run",
        ])
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Wait until some of the reply has been printed (and so parsed and logged).
        let reply = out.fileHandleForReading
        await onOwnThread {
            var seen = Data()
            while seen.count < 20 { seen += reply.availableData }
        }
        try await Task.sleep(for: .milliseconds(300))
        kill(p.processIdentifier, SIGKILL)
        await untilExit(p)

        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        let check = try await q.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") }
        #expect(check == "ok")
        let log = try RunLog(dataDir: dir)
        let earlier = try log.run(id: firstId)
        #expect(earlier.status == .ok)
        #expect(earlier.content.contains("first run"))
        let cut = try #require(try log.runs().first { $0.prompt == "doomed run" })
        #expect(cut.status == .interrupted)
        #expect(try log.eventCount(runId: cut.id) > 0, "the batches written before the kill are kept")
    }

    @Test("sim --list-scenarios names every required scenario")
    func scenarios() async throws {
        let r = try await glmwb(["sim", "--list-scenarios"])
        for name in ["text", "cjk", "tool_call", "parallel_tools", "json_mode", "web_search", "sensitive", "error:CODE",
                     "slow:MS", "stall:N", "disconnect:N", "malformed"] {
            #expect(r.stdout.contains(name), "\(name)")
        }
    }
}
