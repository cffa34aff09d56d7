import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// Thinking models (issue 14): `reasoning_content` is decoded in both modes, kept apart from
/// the answer, reported live as `.reasoning` events and carried to the run's result.
@Suite("Reasoning of thinking models")
struct ReasoningTests {
    /// Payloads as api.z.ai sent them for glm-4.5 (a go-vcr recording, zai-api.md §9): reasoning
    /// deltas carrying the role, then content that opens with "\n", then the usage chunk; the
    /// opening delta with `"content":""` and the 4.7 usage with `reasoning_tokens`.
    static let recorded45: [String] = [
        #"{"id":"20250926190540c29952ed24ae4570","created":1758884740,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning_content":"\n"}}]}"#,
        #"{"id":"20250926190540c29952ed24ae4570","created":1758884740,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"The"}}]}"#,
        #"{"id":"20250926190540c29952ed24ae4570","created":1758884740,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":" \"hi\" in Portugu\u00eas"}}]}"#,
        #"{"id":"20250926190540c29952ed24ae4570","created":1758884740,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","content":"\nOl"}}]}"#,
        #"{"id":"20250926190540c29952ed24ae4570","created":1758884740,"model":"glm-4.5","choices":[{"index":0,"delta":{"role":"assistant","content":"á!"}}]}"#,
        #"{"id":"20250926190540c29952ed24ae4570","created":1758884740,"model":"glm-4.5","choices":[{"index":0,"finish_reason":"stop","delta":{"role":"assistant","content":""}}],"usage":{"prompt_tokens":16,"completion_tokens":90,"total_tokens":106,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":71}}}"#,
    ]

    @Test("stream: recorded GLM-4.5 chunks decode on the fast path as JSONDecoder does; reasoning and answer apart")
    func streamedDecodingAndAccumulation() throws {
        var acc = StreamAccumulator()
        var changes: [StreamAccumulator.Change] = []
        for (i, payload) in Self.recorded45.enumerated() {
            let general = try JSONDecoder().decode(ChatChunk.self, from: Data(payload.utf8))
            let fast = try #require(ChunkFastDecoder.decode(payload, identityKnown: false), "payload \(i) fell back")
            #expect(fast == general, "payload \(i)")
            changes.append(acc.apply(fast))
        }
        #expect(acc.reasoning == "\nThe \"hi\" in Português")
        #expect(acc.content == "\nOlá!")
        #expect(changes[0].reasoning == "\n" && changes[0].text == nil, "the empty opening content is not a delta")
        #expect(changes[3].reasoning == nil && changes[3].text == "\nOl")
        #expect(changes.allSatisfy { $0.reasoning == nil || $0.text == nil })
        #expect(acc.usage?.reasoningTokens == 71)
        #expect(acc.finishReason == "stop")
    }

    @Test("non-stream: message.reasoning_content beside content (the §3 GLM-4.5 body), with reasoning_tokens")
    func nonStreamDecoding() throws {
        let body = #"""
            {"id":"20250926190550b7f3c5b5fd2f4ec4","request_id":"20250926190550b7f3c5b5fd2f4ec4","created":1758884776,"model":"glm-4.5",
             "choices":[{"index":0,"finish_reason":"tool_calls",
               "message":{"role":"assistant","content":"\nLet me add them.","reasoning_content":"\nThe user wants 2 + 3.",
                 "tool_calls":[{"id":"call_-8303647325903440624","index":0,"type":"function",
                   "function":{"name":"add","arguments":"{\"a\": 2, \"b\": 3}"}}]}}],
             "usage":{"prompt_tokens":286,"completion_tokens":144,"total_tokens":430,
                      "prompt_tokens_details":{"cached_tokens":43},"completion_tokens_details":{"reasoning_tokens":12}}}
            """#
        let completion = try JSONDecoder().decode(ChatCompletion.self, from: Data(body.utf8))
        #expect(completion.choices.first?.reasoningContent == "\nThe user wants 2 + 3.")
        #expect(completion.choices.first?.message?.content == "\nLet me add them.")
        var acc = StreamAccumulator()
        acc.absorb(completion)
        #expect(acc.reasoning == "\nThe user wants 2 + 3.")
        #expect(acc.content == "\nLet me add them.")
        #expect(acc.toolCalls.map(\.function.name) == ["add"])
        #expect(acc.usage == Usage(promptTokens: 286, completionTokens: 144, cachedTokens: 43, reasoningTokens: 12))
        // A body without reasoning (this workbench's reference model) has none, not "".
        let plain = try JSONDecoder().decode(ChatCompletion.self, from: Data(WireFixtures.completion("Hi").utf8))
        #expect(plain.choices.first?.reasoningContent == nil)
    }

    @Test("a reasoning_content of the wrong type or null is no reasoning, and the message still decodes")
    func oddReasoningValues() throws {
        for value in ["null", "42", "{}"] {
            let message = #"{"role":"assistant","content":"ok","reasoning_content":\#(value)}"#
            let body = #"{"choices":[{"index":0,"message":\#(message)}]}"#
            let c = try JSONDecoder().decode(ChatCompletion.self, from: Data(body.utf8))
            #expect(c.choices.first?.reasoningContent == nil, "\(value)")
            #expect(c.choices.first?.message?.content == "ok", "\(value)")
            let chunk = #"{"choices":[{"index":0,"delta":{"content":"ok","reasoning_content":\#(value)}}]}"#
            let general = try JSONDecoder().decode(ChatChunk.self, from: Data(chunk.utf8))
            #expect(general.choices.first?.delta?.reasoningContent == nil)
            if let fast = ChunkFastDecoder.decode(chunk, identityKnown: false) { #expect(fast == general, "\(value)") }
        }
    }

    @Test(
        "with streamsProgress off, a run hands on only its start, what is not progress and its end; result, log and figures are the same"
    )
    func resultOnly() async throws {
        var runs: [Collected] = []
        var logged: [[String]] = []
        for on in [true, false] {
            let transport = ScriptedTransport(.sse(Self.recorded45, readSize: 9, pause: .milliseconds(1)))
            let log = try RunLog(dataDir: tempDir())
            let session = await Session.scripted(transport, log: log)
            await session.setStreamsProgress(on)
            let run = await collect(await session.submit("hi", parameters: RequestParameters(), mode: .stream))
            try await log.flush()
            runs.append(run)
            logged.append(try log.events(runId: run.result.runId).map(\.data))
        }
        let (live, quiet) = (runs[0], runs[1])
        func isProgress(_ e: RunEvent) -> Bool {
            switch e {
            case .delta, .reasoning: true
            default: e.isRecordOnly
            }
        }
        #expect(live.events.contains(where: isProgress))
        #expect(!quiet.events.contains(where: isProgress), "\(quiet.events)")
        #expect(quiet.events.count == live.events.filter { !isProgress($0) }.count, "\(quiet.events)")
        #expect(quiet.batches < live.batches, "a batch per read was handed on: \(quiet.batches), \(live.batches) live")
        let usage = quiet.events.contains { if case .usage = $0 { true } else { false } }
        #expect(quiet.events.contains(where: \.isTerminal) && usage)
        #expect(quiet.result.content == live.result.content && quiet.result.reasoning == live.result.reasoning)
        #expect(quiet.result.usage == live.result.usage && quiet.result.chunkCount == live.result.chunkCount)
        #expect(quiet.result.timings.firstTokenMs != nil && quiet.result.usageSource == live.result.usageSource)
        #expect(logged[1] == logged[0] && logged[0].count == live.payloads, "every raw payload is still logged")
    }

    @Test("a run streams .reasoning events before the answer's .delta events; the result keeps them apart")
    func streamedRun() async throws {
        let transport = ScriptedTransport(.sse(Self.recorded45, readSize: 9, pause: .milliseconds(1)))
        let session = await Session.scripted(transport)
        let run = await collect(await session.submit("hi", parameters: RequestParameters(), mode: .stream))
        let r = run.result
        #expect(r.status == .ok)
        #expect(r.reasoning == "\nThe \"hi\" in Português")
        #expect(r.content == "\nOlá!")
        #expect(r.usage.reasoningTokens == 71)
        let reasoning = run.events.compactMap { e -> String? in
            if case .reasoning(let t) = e { return t }
            return nil
        }
        #expect(reasoning.joined() == r.reasoning)
        #expect(run.deltas == r.content)
        func isReasoning(_ e: RunEvent) -> Bool { if case .reasoning = e { true } else { false } }
        func isDelta(_ e: RunEvent) -> Bool { if case .delta = e { true } else { false } }
        let lastReasoning = try #require(run.events.lastIndex(where: isReasoning))
        let firstDelta = try #require(run.events.firstIndex(where: isDelta))
        #expect(lastReasoning < firstDelta)
        // History holds the answer alone: reasoning is never sent back as the reply's text.
        #expect(await session.history.last?.content == "\nOlá!")
    }

    @Test("a stream that ends mid-thought is interrupted, not a transport failure, and keeps the reasoning")
    func cutOffWhileThinking() async throws {
        let transport = ScriptedTransport(.sse(Array(Self.recorded45.prefix(3)), done: false))
        let session = await Session.scripted(transport)
        let r = await collect(await session.submit("hi", parameters: RequestParameters(), mode: .stream)).result
        #expect(r.status == .interrupted)
        #expect(r.error?.kind == .interrupted)
        #expect(r.reasoning == "\nThe \"hi\" in Português")
        #expect(r.content.isEmpty)
    }

    @Test("an in-band error while the model reasons interrupts a partial reply; the reasoning is kept")
    func errorWhileThinking() async throws {
        let payloads = Array(Self.recorded45.prefix(2)) + [#"{"error":{"code":"500","message":"internal error"}}"#]
        let transport = ScriptedTransport(.sse(payloads, done: false))
        let session = await Session.scripted(transport)
        let r = await collect(await session.submit("hi", parameters: RequestParameters(), mode: .stream)).result
        #expect(r.error?.kind == .interrupted)
        #expect(r.error?.message == "server reported an error mid-stream: internal error")
        #expect(r.reasoning == "\nThe")
    }

    @Test("non-stream run: one .reasoning event, then the .delta; the estimate without usage counts the reasoning")
    func nonStreamRun() async throws {
        let message = #"{"role":"assistant","content":"Yes.","reasoning_content":"Thinking it over, at some length."}"#
        let body = #"{"id":"x","choices":[{"index":0,"finish_reason":"stop","message":\#(message)}]}"#
        let transport = ScriptedTransport(.json(body))
        let session = await Session.scripted(transport)
        let run = await collect(await session.submit("hi", parameters: RequestParameters(), mode: .nonStream))
        #expect(run.result.reasoning == "Thinking it over, at some length.")
        #expect(run.result.content == "Yes.")
        let texts = run.events.compactMap { e -> String? in
            switch e {
            case .reasoning(let t): return "r:" + t
            case .delta(let t): return "d:" + t
            default: return nil
            }
        }
        #expect(texts == ["r:Thinking it over, at some length.", "d:Yes."])
        #expect(run.result.usageSource == .estimated)
        #expect(run.result.usage.completionTokens > 2, "the reasoning is generated text too: \(run.result.usage)")
    }
}
