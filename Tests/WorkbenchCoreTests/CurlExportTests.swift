import Foundation
import Testing
@testable import WorkbenchCore

/// The curl export as text and as files: extra headers replayed, credentials never written, the
/// endpoint overridable, the script executable.
@Suite("curl export")
struct CurlExportTests {
    func logged(headers: [(String, String)], baseURL: String = "http://127.0.0.1:4242/v1") async throws -> RunRecord {
        var s = makeStart(prompt: "hi")
        s.baseURL = baseURL
        let log = try RunLog(dataDir: tempDir())
        log.begin(s, extraHeaders: ExtraHeader.logged(headers))
        log.finish(makeResult(s, content: "ok"))
        try await log.flush()
        return try log.run(id: s.runId)
    }

    @Test("the log keeps extra headers; credential-like ones by name only")
    func loggedHeaders() async throws {
        let r = try await logged(headers: [("X-GLMSim-Scenario", "tool_call"), ("X-Api-Key", "s3cret"), ("X-Auth-Token", "t0k"), ("X-Team", "blue")])
        #expect(ExtraHeader.decode(r.extraHeadersJson) == [
            ExtraHeader(name: "X-GLMSim-Scenario", value: "tool_call"), ExtraHeader(name: "X-Api-Key", value: nil),
            ExtraHeader(name: "X-Auth-Token", value: nil), ExtraHeader(name: "X-Team", value: "blue"),
        ])
        let curl = RunExport.curl(r, key: .none)
        #expect(curl.contains(" -H 'X-GLMSim-Scenario: tool_call' \\\n"))
        #expect(curl.contains(" -H 'X-Team: blue' \\\n"))
        #expect(curl.contains("# X-Api-Key was sent too") && curl.contains("# X-Auth-Token was sent too"))
        #expect(!curl.contains("s3cret") && !curl.contains("t0k"))
        #expect(try await logged(headers: []).extraHeadersJson == nil)
    }

    @Test("the endpoint is GLMWB_BASE_URL when set, else the logged one; shell characters in it are encoded, not run")
    func baseURL() async throws {
        let r = try await logged(headers: [], baseURL: "http://h:1/v1/")
        #expect(RunExport.curl(r, key: .none).contains("curl -sS -N \"${GLMWB_BASE_URL:-http://h:1/v1}/chat/completions\""))
        let hostile = try await logged(headers: [], baseURL: "http://h/$(touch /tmp/pwned)`id`\"}'\\x")
        let line = try #require(RunExport.curl(hostile, key: .none).split(separator: "\n").first { $0.hasPrefix("curl") })
        #expect(line == "curl -sS -N \"${GLMWB_BASE_URL:-http://h/%24(touch%20/tmp/pwned)%60id%60%22%7D%27%5Cx}/chat/completions\" \\")
    }

    @Test("the conversation export's script is executable, whatever the umask")
    func scriptMode() async throws {
        let r = try await logged(headers: [("X-GLMSim-Scenario", "cjk")])
        let dir = tempDir()
        let old = umask(0o077)
        defer { umask(old) }
        let base = try ConversationExport.write([r], conversationId: r.conversationId, folder: dir, config: WorkbenchConfig())
        let attrs = try FileManager.default.attributesOfItem(atPath: base + ".sh")
        #expect(attrs[.posixPermissions] as? Int == 0o755)
        let text = try String(contentsOfFile: base + ".sh", encoding: .utf8)
        #expect(text.hasPrefix("#!/bin/sh\n"))
        #expect(text.contains("-H 'X-GLMSim-Scenario: cjk'"))
    }
}
