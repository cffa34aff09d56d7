import Foundation
import Testing
import WorkbenchCore

/// `glmwb run`'s request-field flags of issue 14: --thinking, --reasoning-effort, --tool-stream,
/// --request-id, --user-id; sent where the model table allows, refused (exit 2) when invalid.
@Suite("glmwb run: thinking, reasoning_effort, tool_stream and id flags", .serialized)
struct RequestFieldsCLITests {
    func dryRun(_ extra: [String]) async throws -> CLIResult {
        try await glmwb(
            ["run", "--provider", "sim", "--data-dir", tempDataDir(), "--dry-run", "--json"] + extra + ["Hi"])
    }

    @Test("a model that takes them gets thinking, tool_stream and the ids as set")
    func sent() async throws {
        let r = try await dryRun([
            "--model", "glm-4.6", "--thinking", "off", "--tool-stream", "--request-id", "req-000001", "--user-id",
            "user-000001",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let req = try #require(r.json?["request"], "\(r.stdout)")
        #expect(req["thinking"] == .object(["type": .string("disabled")]))
        #expect(req["tool_stream"] == .bool(true))
        #expect(req["request_id"] == .string("req-000001"))
        #expect(req["user_id"] == .string("user-000001"))
        #expect(r.json?["estimate"]?["context_window"] == .number(204_800))
    }

    @Test("a model that does not take a field: dropped with one note on stderr, the run goes on")
    func dropped() async throws {
        let dry = try await dryRun(["--thinking", "on", "--reasoning-effort", "high"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.json?["request"]?["thinking"] == nil)
        #expect(dry.json?["request"]?["reasoning_effort"] == nil)
        #expect(dry.stderr.contains("thinking, reasoning_effort not sent: glm-4-32b-0414-128k does not take it"))
        let run = try await glmwb(["run", "--provider", "sim", "--data-dir", tempDataDir(), "--thinking", "on", "Hi"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "note: thinking not sent").count == 2, "said once: \(run.stderr)")
    }

    @Test(
        "refused before sending, exit 2",
        arguments: [
            (["--thinking", "maybe"], "--thinking"), (["--reasoning-effort", "max"], "--reasoning-effort"),
            (["--tool-choice", "auto"], "without tools"), (["--request-id", "abc"], "request_id is 3 characters"),
            (["--user-id", String(repeating: "u", count: 129)], "user_id is 129 characters"),
            (["--max-tokens", "20000"], "16384-token output limit"),
        ])
    func refused(_ flags: [String], _ says: String) async throws {
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", tempDataDir()] + flags + ["Hi"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains(says), "\(r.stderr)")
    }

    @Test("a prompt above the model's window is refused before sending, with the numbers and what to do (exit 2)")
    func window() async throws {
        let prompt = String(repeating: "word ", count: 120_000) // about 158K tokens by the estimate
        let dir = tempDataDir()
        let r = try await glmwb(["run", "--provider", "sim", "--data-dir", dir], stdin: prompt)
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("128K-token context window"), "\(r.stderr)")
        #expect(r.stderr.contains("trim the conversation"), "\(r.stderr)")
        let fits = try await glmwb(
            ["run", "--provider", "sim", "--data-dir", dir, "--model", "glm-4.6"], stdin: prompt)
        #expect(fits.status == 0, "glm-4.6's 200K window holds it: \(fits.stderr)")
    }

    @Test("compare drops a field the model does not take from both runs and says it once")
    func compare() async throws {
        let r = try await glmwb(["compare", "--provider", "sim", "--data-dir", tempDataDir(), "--thinking", "on", "Hi"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.components(separatedBy: "note: thinking not sent").count == 2, "\(r.stderr)")
    }
}

extension RequestFieldsCLITests {
    @Test("--clear-thinking off: sent to GLM-4.7 inside thinking; dropped with a note on GLM-4.6; a bad value: exit 2")
    func clearThinking() async throws {
        let on47 = try await dryRun(["--model", "glm-4.7", "--clear-thinking", "off"])
        #expect(on47.status == 0, "\(on47.stderr)")
        #expect(
            on47.json?["request"]?["thinking"]
                == .object(["type": .string("enabled"), "clear_thinking": .bool(false)]))
        let on46 = try await dryRun(["--model", "glm-4.6", "--clear-thinking", "off"])
        #expect(on46.json?["request"]?["thinking"] == .object(["type": .string("enabled")]))
        #expect(on46.stderr.contains("clear_thinking not sent: glm-4.6"), "\(on46.stderr)")
        let bad = try await dryRun(["--clear-thinking", "maybe"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--clear-thinking must be on or off"))
    }
}
