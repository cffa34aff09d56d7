import Foundation
import GRDB
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// A run's request is stored once, in its own row, and a later turn of a conversation as what it
/// adds to the turn before (issue 15): every request must read back byte for byte from every
/// reader, a request that cannot be rebuilt must say so, and the log must grow with what each
/// turn adds, not with the conversation.
@Suite("Run requests")
struct RunRequestsTests {
    /// A start whose request is `messages` (the conversation so far plus the new turn).
    private func start(_ messages: [ChatMessage], conversation: String) -> RunStart {
        let req = ChatRequest(model: Provider.glmModel, messages: messages, stream: true)
        return RunStart(
            runId: RunID.make(), conversationId: conversation, parentRunId: nil, provider: "sim",
            baseURL: "http://127.0.0.1:1/v4", model: req.model, mode: .stream, request: req,
            requestJSON: WireJSON.string(req), templateName: nil, templateVariables: nil, startedAt: Date(),
            promptEstimate: 5)
    }

    /// Logs `turns` replies of one conversation, each request carrying the whole history; returns
    /// the starts in order.
    private func conversation(_ log: RunLog, id: String, turns: Int, reply: (Int) -> String) async throws -> [RunStart]
    {
        var history: [ChatMessage] = [.system("be exact. " + String(repeating: "a long system prompt ", count: 300))]
        var starts: [RunStart] = []
        for k in 0..<turns {
            let s = start(history + [.user("turn \(k): 你好 😀 \"quoted\"")], conversation: id)
            log.begin(s)
            log.finish(makeResult(s, content: reply(k)))
            history = s.request.messages + [.assistant(reply(k))]
            starts.append(s)
        }
        try await log.flush()
        return starts
    }

    private func row(_ log: RunLog, _ runId: String) async throws -> (base: String?, head: Int, tail: Int, body: Int)? {
        try await log.db.read { db in
            try Row.fetchOne(
                db, sql: "SELECT base_run_id, head, tail, LENGTH(body) AS n FROM run_requests WHERE run_id = ?",
                arguments: [runId]
            )
            .map { ($0["base_run_id"], $0["head"], $0["tail"], $0["n"]) }
        }
    }

    @Test("a conversation's requests read back exact from every reader; later turns store only what they add")
    func conversationRoundTrip() async throws {
        let log = try RunLog(dataDir: tempDir())
        let reply = { (k: Int) in "reply \(k) " + String(repeating: "四元数 rotation ", count: 500) }
        let starts = try await conversation(log, id: "c1", turns: 8, reply: reply)
        let read = try log.runs(conversationId: "c1")
        #expect(read.map(\.requestJson) == starts.map(\.requestJSON))
        for s in starts {
            #expect(try log.run(id: s.runId).requestJson == s.requestJSON)
            #expect(log.record(runId: s.runId)?.requestJson == s.requestJSON)
        }
        let found = try log.search("rotation")
        #expect(found.count == starts.count)
        for r in found { #expect(starts.first { $0.runId == r.id }?.requestJSON == r.requestJson) }
        // The row keeps no copy; the first turn is whole, every later one refers to the one before.
        let inRow = try await log.db.read { try String.fetchAll($0, sql: "SELECT request_json FROM runs") }
        #expect(inRow.filter { !$0.isEmpty }.isEmpty)
        #expect(try await row(log, starts[0].runId)?.base == nil)
        for k in 1..<starts.count {
            let r = try #require(try await row(log, starts[k].runId))
            #expect(r.base == starts[k - 1].runId)
            // What turn k adds: the reply before it and its own message, not the history.
            #expect(r.body < reply(k - 1).utf8.count + 200, "turn \(k) stored \(r.body) bytes")
            #expect(r.head + r.body + r.tail == starts[k].requestJSON.utf8.count)
        }
    }

    @Test("another conversation in between, a request that shares little, and Ctrl-N: stored whole")
    func storedWhole() async throws {
        let log = try RunLog(dataDir: tempDir())
        let a = start([.user("first")], conversation: "a")
        let b = start([.user("other")], conversation: "b")
        let a2 = start([.user("first"), .assistant("x"), .user("second")], conversation: "a")
        let a3 = start([.user(String(repeating: "an unrelated long prompt ", count: 40))], conversation: "a")
        for s in [a, b, a2, a3] { log.begin(s) }
        try await log.flush()
        #expect(try await row(log, b.runId)?.base == nil, "a different conversation")
        #expect(try await row(log, a2.runId)?.base == nil, "the run begun before it is b's, not a's")
        #expect(try await row(log, a3.runId)?.base == nil, "shares less than half and under 4 KiB with a2")
        log.releaseMemory()
        let a4 = start(a3.request.messages + [.assistant("y"), .user("z")], conversation: "a")
        log.begin(a4)
        try await log.flush()
        #expect(try await row(log, a4.runId)?.base == nil, "Ctrl-N let go of the last request")
        for s in [a, b, a2, a3, a4] { #expect(try log.run(id: s.runId).requestJson == s.requestJSON) }
    }

    @Test("a conversation reopened by another process goes on storing what each turn adds")
    func reopened() async throws {
        let dir = tempDir()
        let first = try RunLog(dataDir: dir)
        let starts = try await conversation(first, id: "r", turns: 2) { "reply \($0)" }
        // Another process reads the conversation back and sends its next turn.
        let again = try RunLog(dataDir: dir)
        let last = try again.run(id: starts[1].runId)
        again.continueConversation(from: last)
        // The session it replaced gives its memory back afterwards: the reopened one's is kept.
        again.releaseMemory(keepingConversation: "r")
        let next = start(last.request!.messages + [.assistant(last.content), .user("three")], conversation: "r")
        again.begin(next)
        try await again.flush()
        let r = try #require(try await row(again, next.runId))
        #expect(r.base == starts[1].runId)
        #expect(try again.run(id: next.runId).requestJson == next.requestJSON)
    }

    @Test("a base whose request the log lost: the next turn is stored whole")
    func missingBaseAtWrite() async throws {
        let log = try RunLog(dataDir: tempDir())
        let a = start([.user("one")], conversation: "c")
        log.begin(a)
        try await log.flush()
        try await log.db.write {
            try $0.execute(sql: "DELETE FROM run_requests WHERE run_id = ?", arguments: [a.runId])
        }
        let a2 = start([.user("one"), .assistant("two"), .user("three")], conversation: "c")
        log.begin(a2)
        try await log.flush()
        #expect(try await row(log, a2.runId)?.base == nil)
        #expect(try log.run(id: a2.runId).requestJson == a2.requestJSON)
    }

    @Test("a request that cannot be rebuilt is a clear error naming the run, never a wrong request")
    func damaged() async throws {
        let log = try RunLog(dataDir: tempDir())
        let starts = try await conversation(log, id: "d", turns: 3) { "reply \($0)" }
        try await log.db.write {
            try $0.execute(sql: "DELETE FROM run_requests WHERE run_id = ?", arguments: [starts[1].runId])
        }
        #expect(throws: RunRequests.Damaged.self) { try log.run(id: starts[2].runId) }
        do {
            _ = try log.run(id: starts[2].runId)
        } catch {
            #expect("\(error)".contains(starts[2].runId) && "\(error)".contains("not in the log"))
        }
        try await log.db.write {
            try $0.execute(sql: "UPDATE run_requests SET head = 1000000 WHERE run_id = ?", arguments: [starts[2].runId])
        }
        #expect(throws: RunRequests.Damaged.self) { try log.run(id: starts[2].runId) }
        #expect(try log.run(id: starts[0].runId).requestJson == starts[0].requestJSON)
        // A cycle ends at the depth bound, as damage; a run whose request row is gone is damage too.
        try await log.db.write { db in
            try db.execute(
                sql: "UPDATE run_requests SET base_run_id = ?, head = 0, tail = 0 WHERE run_id = ?",
                arguments: [starts[2].runId, starts[0].runId])
            try db.execute(
                sql: "UPDATE run_requests SET base_run_id = ?, head = 0 WHERE run_id = ?",
                arguments: [starts[0].runId, starts[2].runId])
        }
        #expect(throws: RunRequests.Damaged.self) { try log.run(id: starts[0].runId) }
        try await log.db.write { try $0.execute(sql: "DELETE FROM run_requests") }
        #expect(throws: RunRequests.Damaged.self) { try log.run(id: starts[0].runId) }
    }

    @Test("a run logged before requests had their own table reads its request from its row")
    func legacyRow() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = start([.user("old")], conversation: "old")
        log.begin(s)
        try await log.flush()
        try await log.db.write { db in
            try db.execute(sql: "DELETE FROM run_requests")
            try db.execute(sql: "UPDATE runs SET request_json = ?", arguments: [s.requestJSON])
        }
        #expect(try log.run(id: s.runId).requestJson == s.requestJSON)
    }

    @Test("a chain of 300 turns reads back exact")
    func deepChain() async throws {
        let log = try RunLog(dataDir: tempDir())
        let starts = try await conversation(log, id: "deep", turns: 300) { "r\($0)" }
        let read = try log.runs(conversationId: "deep")
        #expect(read.count == 300)
        #expect(read.map(\.requestJson) == starts.map(\.requestJSON))
    }
}
