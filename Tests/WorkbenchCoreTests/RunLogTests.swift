import Foundation
import GRDB
import Testing
@testable import WorkbenchCore

func tempDir() -> String {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("glmwb-test-" + RunID.make()).path
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

func makeStart(prompt: String, conversation: String = "conv1", runId: String = RunID.make()) -> RunStart {
    let req = ChatRequest(model: Provider.glmModel, messages: [.system("be brief"), .user(prompt)], stream: true)
    return RunStart(runId: runId, conversationId: conversation, parentRunId: nil, provider: "sim", baseURL: "http://127.0.0.1:1/v4",
                    model: req.model, mode: .stream, request: req, requestJSON: WireJSON.string(req), templateName: nil,
                    templateVariables: nil, startedAt: Date(), promptEstimate: 5)
}

func makeResult(_ s: RunStart, content: String, status: RunStatus = .ok) -> RunResult {
    RunResult(runId: s.runId, conversationId: s.conversationId, mode: s.mode, status: status, content: content, toolCalls: [],
              finishReason: "stop", usage: Usage(promptTokens: 5, completionTokens: 3), usageSource: .reported,
              cost: Cost(usd: Decimal(string: "0.0000008"), wouldCostUSD: nil, price: PriceTable.glm4_32b, basis: .reported, webSearchUses: 0),
              timings: RunTimings(), chunkCount: 3, webSearch: [], contentFilter: [], error: nil, retries: [], httpStatus: 200)
}

@Suite("Run log")
struct RunLogTests {
    @Test("a run's row, payloads and result are written and read back; FTS finds it")
    func roundTrip() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "Explain quaternions briefly")
        log.begin(s)
        log.record(runId: s.runId, [.payload(seq: 0, offsetMicros: 10, data: "{\"a\":1}"), .delta("x"), .payload(seq: 1, offsetMicros: 20, data: "[DONE]")])
        log.finish(makeResult(s, content: "Rotations in 3D, 四元数"))
        try await log.flush()
        let r = try log.run(id: String(s.runId.prefix(6)))
        #expect(r.status == .ok)
        #expect(r.content == "Rotations in 3D, 四元数")
        #expect(r.prompt == "Explain quaternions briefly")
        #expect(r.system == "be brief")
        #expect(r.costUsd == "0.0000008")
        #expect(try log.events(runId: s.runId).map(\.data) == ["{\"a\":1}", "[DONE]"])
        #expect(try log.search("quatern").map(\.id) == [s.runId], "prefix match on the prompt")
        #expect(try log.search("rotations").map(\.id) == [s.runId], "match on the reply")
        #expect(try log.search("四元数").map(\.id) == [s.runId], "CJK in the reply")
        #expect(try log.search("nothing-like-this").isEmpty)
        let json = RunRecordJSON.object(r)
        #expect(json["usage"]?["source"] == .string("reported"))
        #expect(json["cost_usd"] == .number(0.0000008))
    }

    @Test("a timeline reads each payload's offset and size in bytes (CJK counted in UTF-8), not the payload")
    func eventSizes() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "sizes")
        log.begin(s)
        let payloads = [#"{"c":"你好"}"#, "[DONE]"]
        let events: [RunEvent] = [
            .payload(seq: 0, offsetMicros: 1500, data: RawPayload(payloads[0])),
            .payload(seq: 1, offsetMicros: 2500, data: RawPayload(payloads[1])),
        ]
        log.record(runId: s.runId, events)
        log.finish(makeResult(s, content: "你好"))
        try await log.flush()
        let sizes = try log.eventSizes(runId: s.runId)
        #expect(sizes.map(\.seq) == [0, 1])
        #expect(sizes.map(\.offsetUs) == [1500, 2500])
        #expect(sizes.map(\.bytes) == payloads.map(\.utf8.count))
        #expect(try log.eventSizes(runId: "no-such-run").isEmpty)
    }

    @Test("a run left running by a dead process is marked interrupted when the log opens")
    func abandoned() async throws {
        let dir = tempDir()
        let s = makeStart(prompt: "cut off")
        do {
            let log = try RunLog(dataDir: dir)
            log.begin(s)
            try await log.flush()
        }
        // Pretend the writer was another process that has since died.
        let q = try DatabaseQueue(path: RunLog.path(inDataDir: dir))
        try await q.write { try $0.execute(sql: "UPDATE runs SET pid = 999999") }
        let reopened = try RunLog(dataDir: dir)
        let r = try reopened.run(id: s.runId)
        #expect(r.status == .interrupted)
        #expect(r.errorMessage?.contains("killed or crashed") == true)
    }

    @Test("the data dir: the flag, then the config (with ~ expanded), then the XDG default")
    func dataDir() throws {
        let config = try WorkbenchConfig.parse("data_dir: ~/glmwb-logs", file: "c.yaml")
        let fromConfig = RunLog.dataDir(flag: nil, config: config, environment: [:])
        #expect(!fromConfig.hasPrefix("~") && fromConfig.hasSuffix("/glmwb-logs"))
        #expect(RunLog.dataDir(flag: "/tmp/x", config: config, environment: [:]) == "/tmp/x")
        #expect(RunLog.dataDir(flag: nil, config: .init(), environment: ["XDG_DATA_HOME": "/d"]) == "/d/glmwb")
    }

    @Test("ambiguous and unknown ids are clear errors")
    func lookup() async throws {
        let log = try RunLog(dataDir: tempDir())
        let a = makeStart(prompt: "a", runId: "abc111"), b = makeStart(prompt: "b", runId: "abc222")
        log.begin(a); log.begin(b)
        try await log.flush()
        #expect(throws: RunLog.LookupError.self) { try log.run(id: "abc") }
        #expect(throws: RunLog.LookupError.self) { try log.run(id: "zzz") }
        #expect(try log.run(id: "abc2").id == "abc222")
    }

    @Test("exports: JSONL is the run record, curl reads the key from the environment")
    func exports() async throws {
        let log = try RunLog(dataDir: tempDir())
        let s = makeStart(prompt: "it's")
        log.begin(s)
        log.finish(makeResult(s, content: "ok"))
        try await log.flush()
        let r = try log.run(id: s.runId)
        let line = RunExport.jsonl([r])
        #expect(JSONValue.parse(line)?["run_id"] == .string(s.runId))
        var zr = r
        zr.provider = "zai"
        let curl = RunExport.curl(zr)
        #expect(curl.contains("$ZAI_API_KEY"))
        #expect(curl.contains("'\\''"), "single quotes in the body are shell-escaped")
        #expect(RunExport.markdown([r]).contains("### user\n\nit's"))
    }
}

@Suite("Run log memory")
struct RunLogMemoryTests {
    @Test("a finished run is held in memory only until the log commits it (long requests were kept after Ctrl-N)")
    func releasedOnCommit() async throws {
        let log = try RunLog(dataDir: tempDir())
        for i in 0..<5 {
            let s = makeStart(prompt: String(repeating: "long history ", count: 10_000) + "\(i)")
            log.begin(s)
            log.finish(makeResult(s, content: "reply \(i)"))
        }
        try await log.flush()
        #expect(log.recordsInMemory == 0)
        let s = makeStart(prompt: "kept")
        log.begin(s)
        log.finish(makeResult(s, content: "ok"))
        try await log.flush()
        #expect(log.record(runId: s.runId)?.content == "ok", "read back from the log now")
    }
}
