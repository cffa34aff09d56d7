import Foundation
import GRDB
import Testing

@testable import WorkbenchCore

/// The run log's `reasoning` and `reasoning_tokens` columns (migration v8-reasoning).
@Suite("Run log: reasoning")
struct RunLogReasoningTests {
    func thinkingResult(_ s: RunStart) -> RunResult {
        var r = makeResult(s, content: "Olá!")
        r.reasoning = "The user wants \"hi\" in Portuguese."
        r.usage = Usage(promptTokens: 5, completionTokens: 30, reasoningTokens: 27)
        return r
    }

    @Test("reasoning and reasoning tokens are stored, read back, printed in the JSON and the Markdown as thinking")
    func roundTrip() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "Say hi in Portuguese")
        log.begin(s)
        log.finish(thinkingResult(s))
        let plain = makeStart(prompt: "no thinking here")
        log.begin(plain)
        log.finish(makeResult(plain, content: "ok"))
        try await log.flush()

        let r = try log.run(id: s.runId)
        #expect(r.reasoning == "The user wants \"hi\" in Portuguese.")
        #expect(r.reasoningTokens == 27)
        #expect(r.content == "Olá!")
        #expect(r.result.reasoning == r.reasoning && r.result.usage.reasoningTokens == 27)
        let json = RunRecordJSON.object(r)
        #expect(json["reasoning"] == .string("The user wants \"hi\" in Portuguese."))
        #expect(json["usage"]?["reasoning_tokens"] == .number(27))
        let md = RunExport.markdown([r])
        let thinking = try #require(
            md.range(of: "### assistant (thinking, 27 reasoning tokens reported)\n\nThe user wants"))
        let reply = try #require(md.range(of: "### assistant (reply)\n\nOlá!"))
        #expect(thinking.lowerBound < reply.lowerBound)
        #expect(RunExport.jsonl([r]).contains(#""reasoning":"The user wants"#))

        // A run without reasoning stores NULL (no bytes), prints null and no thinking section.
        let p = try log.run(id: plain.runId)
        #expect(p.reasoning == nil && p.reasoningTokens == nil)
        #expect(RunRecordJSON.object(p)["reasoning"] == .null)
        #expect(!RunExport.markdown([p]).contains("(thinking"))
        let stored = try await log.db.read { db in
            try Row.fetchOne(
                db, sql: "SELECT reasoning IS NULL AS n, reasoning_tokens IS NULL AS t FROM runs WHERE id = ?",
                arguments: [plain.runId])
        }
        #expect(stored?["n"] == true && stored?["t"] == true)
    }

    /// A log as written before v8: the columns dropped and the migration forgotten.
    func oldLog() async throws -> (dir: String, runId: String) {
        let dir = tempDir()
        let s = makeStart(prompt: "from an older glmwb")
        do {
            let log = try RunLog(dataDir: dir)
            log.begin(s)
            log.finish(makeResult(s, content: "old reply"))
            try await log.flush()
            try await log.db.write { db in
                try db.execute(
                    sql: """
                        ALTER TABLE runs DROP COLUMN reasoning;
                        ALTER TABLE runs DROP COLUMN reasoning_tokens;
                        DELETE FROM grdb_migrations WHERE identifier = 'v8-reasoning';
                        """)
            }
        }
        return (dir, s.runId)
    }

    @Test("an old log without the columns opens read-only and its runs read with no reasoning")
    func oldLogReadOnly() async throws {
        let (dir, runId) = try await oldLog()
        let path = RunLog.path(inDataDir: dir)
        let log = RunLog(path: path, db: try RunLog.openReadOnly(path: path), readOnly: true, eventBudget: 0)
        let columns = try await log.db.read { db in try db.columns(in: "runs").map(\.name) }
        #expect(!columns.contains("reasoning"), "the read-only open must not migrate")
        let r = try log.run(id: runId)
        #expect(r.content == "old reply")
        #expect(r.reasoning == nil && r.reasoningTokens == nil)
        #expect(RunRecordJSON.object(r)["reasoning"] == .null)
    }

    @Test("an old log opened for writing gains the columns; old runs keep NULL, new runs store reasoning")
    func oldLogMigrates() async throws {
        let (dir, runId) = try await oldLog()
        let log = try RunLog(dataDir: dir)
        #expect(try log.run(id: runId).reasoning == nil)
        let s = makeStart(prompt: "after the upgrade")
        log.begin(s)
        log.finish(thinkingResult(s))
        try await log.flush()
        #expect(try log.run(id: s.runId).reasoning == "The user wants \"hi\" in Portuguese.")
        #expect(try log.run(id: runId).content == "old reply")
    }
}
