import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchHTTP

/// Issue 11, defect 11, end to end: a tool-call stream and a plain stream through the real HTTP
/// client against GLMSim. The live figures (folded from the run's events, as the workbench's run
/// state folds them) must agree with the logged record and with `glmwb logs show`.
@Suite("Live figures agree with the log", .serialized)
struct RunFiguresSimTests {
    @Test("tool-call and plain streams: chunks, TTFT, estimate and speed the same live, logged and in logs show",
          arguments: ["tool_call", "text", "long:40"])
    func agree(_ scenario: String) async throws {
        let rig = try await SimRig.make()
        let session = await rig.session()
        var p = RequestParameters()
        p.model = "sim/" + scenario
        var live: LiveFigures?
        var lastPayloadMs: Double?
        var result: RunResult?
        for await batch in await session.submit("Weather in Paris?", parameters: p, mode: .stream) {
            for e in batch {
                if case .started(let s) = e { live = LiveFigures(mode: s.mode, promptEstimate: s.promptEstimate) }
                if case .payload(_, let off, _) = e { lastPayloadMs = Double(off) / 1000 }
                if let r = e.result { result = r; continue }
                live?.absorb(e)
            }
            // At every moment: the first token is never after the last byte seen.
            if let f = live?.figures, let t = f.ttftMs.value { #expect(t <= lastPayloadMs ?? -1, "TTFT \(t) after the last byte \(lastPayloadMs ?? -1)") }
        }
        let r = try #require(result)
        let liveFigures = try #require(live).figures
        let final = RunFigures(result: r)
        #expect(r.status == .ok)
        #expect(liveFigures.chunks.value == r.chunkCount && r.chunkCount > 0, "live \(liveFigures.chunks) vs logged \(r.chunkCount)")
        #expect(liveFigures.ttftMs == final.ttftMs)
        #expect(liveFigures.lastTokenMs == final.lastTokenMs)
        #expect(final.ttftMs.value! <= final.lastTokenMs.value! && final.lastTokenMs.value! <= final.totalMs.value!)
        #expect(liveFigures.completionTokens == final.completionTokens, "the usage came in the stream: live shows it")
        // The estimate the live meter showed is the estimator on the whole generated text.
        let text = r.content + r.toolCalls.map { $0.function.name + $0.function.arguments }.joined()
        #expect(try #require(live).tally?.completionEstimate == TokenEstimator().estimate(text))

        try await rig.log.flush()
        let record = try rig.log.run(id: r.runId)
        #expect(RunFigures(record: record) == final)
        let show = try await glmwb(["logs", "show", r.runId, "--data-dir", rig.dataDir])
        #expect(show.status == 0, "\(show.stderr)")
        for piece in [final.tokensText, final.ttftText, final.speedText, try #require(final.chunksText)] {
            #expect(show.stdout.contains(piece), "logs show lacks '\(piece)'")
        }
        let json = try #require(
            JSONValue.parse(try await glmwb(["logs", "show", r.runId, "--data-dir", rig.dataDir, "--json"]).stdout))
        #expect(json["chunks"] == .number(Double(r.chunkCount)))
        #expect(json["tokens_per_second"] == final.tokensPerSecond.value.map { .number(($0 * 10).rounded() / 10) } ?? .null)
        await rig.close()
    }
}
