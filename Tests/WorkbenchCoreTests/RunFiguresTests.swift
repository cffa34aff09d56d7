import Foundation
import Testing
import WorkbenchTestSupport
@testable import WorkbenchCore

/// Issue 11, defect 11: one definition of each figure, so the footer, the meter, compare,
/// `logs show` and the exports cannot disagree, and no figure is a number we cannot stand behind.
@Suite("Run figures")
struct RunFiguresTests {
    func decode(_ json: String) -> ChatChunk { try! JSONDecoder().decode(ChatChunk.self, from: Data(json.utf8)) }

    func result(mode: RunMode = .stream, completion: Int = 50, first: Double? = 10, last: Double? = 11.3, total: Double = 20,
                source: UsageSource = .reported, chunks: Int = 14) -> RunResult {
        var t = RunTimings()
        t.firstByteMs = 9
        t.firstTokenMs = first
        t.lastTokenMs = last
        t.totalMs = total
        let usage = Usage(promptTokens: 12, completionTokens: completion)
        return RunResult(runId: "r", conversationId: "c", mode: mode, status: .ok, content: "x", toolCalls: [], finishReason: "stop",
                         usage: usage, usageSource: source, cost: Cost(usd: 0, wouldCostUSD: nil, price: nil, basis: source, webSearchUses: 0),
                         timings: t, chunkCount: mode == .stream ? chunks : 0, webSearch: [], contentFilter: [], error: nil, retries: [], httpStatus: 200)
    }

    @Test("a reply that arrived in one burst has no speed (was 38562 tok/s): shown as unknown, never a silly number")
    func burstSpeedUnknown() {
        let f = RunFigures(result: result(first: 10, last: 11.3))
        #expect(f.tokensPerSecond == .unknown)
        #expect(f.speedText == "tok/s —")
        // Over a span we can measure, completion tokens ÷ (last − first token).
        let g = RunFigures(result: result(completion: 50, first: 100, last: 1100))
        #expect(g.tokensPerSecond.value == 50)
        #expect(g.tokensPerSecond.source == .measured)
        #expect(g.speedText == "50 tok/s")
        // From an estimated count the speed is an estimate, and says so.
        #expect(RunFigures(result: result(first: 100, last: 1100, source: .estimated)).speedText == "50 tok/s est.")
    }

    @Test("reasoning tokens: shown beside the completion count only when the server reported them")
    func reasoningTokens() {
        var r = result(completion: 80)
        r.usage.reasoningTokens = 52
        #expect(RunFigures(result: r).tokensText == "12 in / 80 out (52 reasoning)")
        #expect(RunFigures(result: result(completion: 80)).tokensText == "12 in / 80 out")
        var estimated = result(completion: 80, source: .estimated)
        estimated.usage.reasoningTokens = 52
        #expect(RunFigures(result: estimated).reasoningTokens == .unknown, "only a reported count is shown")
        let usage = Usage(promptTokens: 5, completionTokens: 9, reasoningTokens: 4)
        let live = RunFigures(live: nil, mode: .stream, promptEstimate: 5, reported: usage, firstByteMs: 1)
        #expect(live.tokensText == "5 in / 9 out (4 reasoning)")
    }

    @Test("non-stream: TTFT and tok/s are unknown (the reply is one body), chunks do not apply")
    func nonStream() {
        let f = RunFigures(result: result(mode: .nonStream, first: 9, last: 400, total: 410))
        #expect(f.ttftMs == .unknown && f.tokensPerSecond == .unknown)
        #expect(f.ttftText == "TTFT —")
        #expect(f.chunksText == nil)
        #expect(f.totalText == "total 410 ms")
    }

    @Test("each count says where it comes from: reported, estimated, measured (not billed), unknown (never finished)")
    func sources() {
        #expect(RunFigures(result: result(source: .reported)).tokensText == "12 in / 50 out")
        #expect(RunFigures(result: result(source: .estimated)).tokensText == "12 in est. / 50 out est.")
        #expect(RunFigures(result: result(source: .notBilled)).promptTokens.source == .measured)
        // A logged run whose end never arrived: unknown, not "0 in / 0 out".
        let start = RunStart(runId: "r", conversationId: "c", provider: "sim", baseURL: "http://x", model: "m", mode: .stream,
                             request: ChatRequest(model: "m", messages: [.user("hi")]), requestJSON: "{}", startedAt: Date(), promptEstimate: 5)
        let unfinished = RunFigures(record: RunRecord(start: start))
        #expect(unfinished.tokensText == "— in / — out")
        #expect(unfinished.chunksText == "— chunks")
        #expect(unfinished.cost == nil)
        // A finished record has exactly its result's figures.
        var rec = RunRecord(start: start)
        rec.apply(result(first: 100, last: 900))
        #expect(RunFigures(record: rec) == RunFigures(result: result(first: 100, last: 900)))
    }

    @Test("the tally counts every completion chunk (the usage-only one too) and times tokens, tool calls included")
    func tallyToolCallStream() {
        var acc = StreamAccumulator()
        var tally = RunTally()
        let call = decode(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},"finish_reason":"tool_calls"}]}"#)
        let usage = decode(#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":10,"completion_tokens":9,"total_tokens":19}}"#)
        tally.count(acc.apply(call), arrivedMs: 40)
        tally.count(acc.apply(usage), arrivedMs: 40)
        #expect(tally.chunks == 2 && tally.chunks == acc.chunkCount)
        #expect(tally.tokenChunks == 1)
        #expect(tally.firstTokenMs == 40 && tally.lastTokenMs == 40)
        // The live estimate counts the call it generated (was 0 for a tool-call stream).
        #expect(tally.completionEstimate == TokenEstimator().estimate("get_weather" + #"{"city":"Paris"}"#))
        // Reasoning is generated text too: it times the first token.
        var t2 = RunTally()
        t2.count(acc.apply(decode(#"{"choices":[{"index":0,"delta":{"reasoning_content":"Let me think"}}]}"#)), arrivedMs: 5)
        #expect(t2.firstTokenMs == 5 && t2.tokenChunks == 1 && t2.completionEstimate > 0)
    }

    @Test("the live estimate is the final estimate: the same estimator on the same text (was 11 est. live, 8 est. final)")
    func estimateAgrees() {
        let pieces = ["Hel", "lo", ", w", "or", "ld", "! ", "Th", "is", " is", " a", " t", "est."]
        var tally = RunTally()
        var acc = StreamAccumulator()
        for (i, p) in pieces.enumerated() {
            let json = JSONValue.object(["choices": .array([.object(["index": .number(0), "delta": .object(["content": .string(p)])])])]).canonicalText
            tally.count(acc.apply(decode(json)), arrivedMs: Double(i * 10))
        }
        let summedPieces = pieces.map { TokenEstimator().estimate($0) }.reduce(0, +)
        #expect(summedPieces > TokenEstimator().estimate(pieces.joined()), "the old live sum over-counts")
        #expect(tally.completionEstimate == TokenEstimator().estimate(pieces.joined()))
        let calibrated = TokenEstimator(calibration: 1.5)
        var c = RunTally(estimator: calibrated)
        c.countBody(pieces.joined())
        #expect(c.completionEstimate == calibrated.estimate(pieces.joined()))
    }

    @Test("arrival bins stay 16 slots however long the stream; the sparkline spans first to last arrival")
    func arrivalBins() {
        var b = ArrivalBins()
        #expect(b.sparkline == "")
        for i in 0..<100_000 { b.add(Double(i)) }
        #expect(b.counts.count == ArrivalBins.slots)
        #expect(b.counts.reduce(0, +) == 100_000)
        #expect(!b.sparkline.isEmpty && b.sparkline.count <= ArrivalBins.slots)
        b.add(.nan)
        b.add(1e300)
        #expect(b.counts.reduce(0, +) == 100_001)
    }

    @Test("totals add known counts, mark estimates and count unknowns apart (a loop's total, a conversation's)")
    func totals() {
        let a = RunFigures(result: result(source: .reported))
        let b = RunFigures(result: result(completion: 7, source: .estimated))
        var t = RunTotals([a, b])
        #expect(t.runs == 2 && t.promptTokens == 24 && t.completionTokens == 57)
        #expect(t.tokensText == "24 in / 57 out est.")
        let start = RunStart(runId: "u", conversationId: "c", provider: "sim", baseURL: "http://x", model: "m", mode: .stream,
                             request: ChatRequest(model: "m", messages: [.user("hi")]), requestJSON: "{}", startedAt: Date(), promptEstimate: 5)
        t.add(RunFigures(record: RunRecord(start: start)))
        #expect(t.tokensText.hasSuffix("+ 1 run(s) unknown"))
        #expect(t.costText.contains("1 run(s) at unknown cost"))
    }

    @Test("the tally counts a text's scalars by its UTF-8 exactly as walking its scalars does")
    func scalarCountsFromUTF8() {
        var rng = SplitMix64(seed: 0x7A11)
        let pieces = ["a", " ", "\n", "é", "你", "😀", "\u{7f}", "\u{80}", "\u{7ff}", "\u{800}", "\u{ffff}", "\u{10000}"]
        for _ in 0..<300 {
            let text = (0..<Int(rng.next() % 12)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            var tally = RunTally()
            tally.countBody(text)
            let ascii = text.unicodeScalars.filter { $0.isASCII }.count
            #expect(tally.asciiScalars == ascii && tally.wideScalars == text.unicodeScalars.count - ascii, "\(text)")
        }
    }

}
