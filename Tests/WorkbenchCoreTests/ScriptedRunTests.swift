import Foundation
import Testing
import WorkbenchTestSupport

@testable import WorkbenchCore

/// `RunExecutor` and `Session` over `ScriptedTransport`: the real code from bytes to events, with
/// the server's side played from memory — no socket, no server, each test in milliseconds.
@Suite("Runs over a scripted transport")
struct ScriptedRunTests {
    func send(
        _ transport: ScriptedTransport, _ prompt: String = "hi", mode: RunMode = .stream,
        maxEventBytes: Int = SSEParser.defaultMaxEventBytes
    ) async -> (Collected, Session) {
        let session = await Session.scripted(transport, maxEventBytes: maxEventBytes)
        return (await collect(await session.submit(prompt, parameters: RequestParameters(), mode: mode)), session)
    }

    @Test(
        "a stream cut into 7-byte reads (events and UTF-8 split anywhere): the text, usage, chunks and timings in order"
    )
    func stream() async throws {
        let transport = ScriptedTransport(
            .sse(WireFixtures.textStream(["Hel", "lo, ", "世界"]), readSize: 7, pause: .milliseconds(1)))
        let (run, session) = await send(transport, "greet")
        let r = run.result
        #expect(r.status == .ok)
        #expect(run.deltas == "Hello, 世界")
        #expect(r.content == "Hello, 世界")
        #expect(r.usage == Usage(promptTokens: 7, completionTokens: 3))
        #expect(r.usageSource == .reported)
        #expect(r.finishReason == "stop")
        #expect(r.chunkCount == 4, "three text chunks and the finish chunk")
        #expect(run.payloads == 5, "four chunks and [DONE]")
        #expect(run.batches > 5, "one batch per read, not one for the whole body")
        let t = r.timings
        let (firstByte, firstToken, lastToken, total) = try (
            #require(t.firstByteMs), #require(t.firstTokenMs), #require(t.lastTokenMs), #require(t.totalMs)
        )
        #expect(firstByte <= firstToken && firstToken <= lastToken && lastToken <= total, "\(t)")
        // What was sent: one request, streamed, and the conversation now holds the turn.
        #expect(transport.requests.count == 1)
        let sent = try #require(JSONValue.parse(String(decoding: transport.requests[0].body, as: UTF8.self)))
        #expect(sent["stream"] == .bool(true))
        #expect(await session.history.map(\.content) == ["greet", "Hello, 世界"])
    }

    @Test("non-stream: the whole body is one payload and one delta; no chunks are counted and no stream flag is sent")
    func nonStream() async throws {
        let transport = ScriptedTransport(
            .json(WireFixtures.completion("Bonjour", promptTokens: 5, completionTokens: 2)))
        let (run, _) = await send(transport, mode: .nonStream)
        let r = run.result
        #expect(r.status == .ok)
        #expect(r.content == "Bonjour")
        #expect(r.chunkCount == 0)
        #expect(r.usage == Usage(promptTokens: 5, completionTokens: 2))
        #expect(run.payloads == 1)
        #expect(
            run.events.filter {
                if case .delta = $0 { return true }; return false
            } == [.delta("Bonjour")])
        let sent = try #require(JSONValue.parse(String(decoding: transport.requests[0].body, as: UTF8.self)))
        #expect(sent["stream"] == nil)
    }

    @Test("429 code 1302 twice, then a stream: retried, and the run records both attempts")
    func retriedRateLimit() async {
        let busy = ScriptedTransport.Reply.apiError(status: 429, code: "1302", message: "concurrency too high")
        let transport = ScriptedTransport(busy, busy, .sse(WireFixtures.textStream(["ok"])))
        let (run, _) = await send(transport)
        #expect(run.result.status == .ok)
        #expect(run.result.content == "ok")
        #expect(transport.requests.count == 3)
        #expect(run.result.retries.map(\.status) == [429, 429])
        #expect(run.result.retries.map(\.code) == ["1302", "1302"])
    }

    @Test("a refused connection, then an answer: one retry with no status")
    func retriedConnect() async {
        let transport = ScriptedTransport(
            .failure(TransportError(.connect, "connection refused")), .sse(WireFixtures.textStream(["up"])))
        let (run, _) = await send(transport)
        #expect(run.result.status == .ok)
        #expect(run.result.retries.count == 1)
        #expect(run.result.retries.first?.status == nil)
        #expect(run.result.retries.first?.message == "connection refused")
    }

    @Test("500 on every attempt: four requests, then the error says retries ran out")
    func retriesExhausted() async {
        let down = ScriptedTransport.Reply.response(
            status: 500, headers: [.init("Content-Type", "text/html")],
            body: [.bytes(Array("<html>oops</html>".utf8))])
        let transport = ScriptedTransport(down, down, down, down, down)
        let (run, _) = await send(transport)
        let e = run.result.error
        #expect(run.result.status == .failed)
        #expect(transport.requests.count == 4)
        #expect(e?.httpStatus == 500)
        #expect(e?.message.contains("<html>oops</html>") == true, "\(e?.message ?? "")")
        #expect(e?.advice?.contains("4 attempts made") == true, "\(e?.advice ?? "")")
    }

    @Test("1113 (no balance) is not retried: one request, the catalog's meaning")
    func notRetried() async {
        let transport = ScriptedTransport(.apiError(status: 429, code: "1113", message: "balance"))
        let (run, _) = await send(transport)
        #expect(transport.requests.count == 1)
        #expect(run.result.status == .failed)
        #expect(run.result.error?.code == "1113")
        #expect(run.result.error?.meaning == "insufficient balance or no resource package")
    }

    @Test("the connection resets after the first event: the partial reply is kept, marked interrupted, never resent")
    func resetMidStream() async {
        let payloads = WireFixtures.textStream(["one ", "two ", "three"])
        let firstEvent = "data: \(payloads[0])\n\n".utf8.count
        let transport = ScriptedTransport(.sse(payloads).resetAfter(bytes: firstEvent + 10))
        let (run, session) = await send(transport)
        let r = run.result
        #expect(r.status == .interrupted)
        #expect(r.content == "one ")
        #expect(r.error?.kind == .interrupted)
        #expect(r.error?.advice?.contains("Not retried") == true, "\(r.error?.advice ?? "")")
        #expect(transport.requests.count == 1, "a reply that began is never resent")
        #expect(await session.history.isEmpty, "an interrupted reply is not sent back by default")
    }

    @Test("cancel mid-stream: a body that would hang forever ends at once, cancelled, with the partial text")
    func cancelMidStream() async throws {
        let payloads = WireFixtures.textStream(["partial ", "never"])
        let transport = ScriptedTransport(.sse(payloads).hangAfter(bytes: "data: \(payloads[0])\n\n".utf8.count))
        let session = await Session.scripted(transport)
        var events: [RunEvent] = []
        for await batch in await session.submit("go", parameters: RequestParameters(), mode: .stream) {
            events += batch
            if batch.contains(where: {
                if case .delta = $0 { return true }; return false
            }) {
                for id in await session.activeRunIds { await session.cancel(runId: id) }
            }
        }
        let r = try #require(events.compactMap(\.result).last)
        #expect(r.status == .cancelled)
        // The hang ends only by cancellation (or, failing that, by its safety limit with a
        // transport error, which is not `.cancelled`): the status says which, with no clock.
        #expect(r.content == "partial ")
    }

    @Test("cancel before any response: a server that never answers leaves a cancelled run, nothing billed")
    func cancelBeforeResponse() async throws {
        let transport = ScriptedTransport(.hang)
        let session = await Session.scripted(transport)
        let stream = await session.submit("go", parameters: RequestParameters(), mode: .stream)
        let cancel = Task {
            while await session.activeRunIds.isEmpty || transport.requests.isEmpty {
                try await Task.sleep(for: .milliseconds(1))
            }
            await session.cancelAll()
        }
        let run = await collect(stream)
        try await cancel.value
        #expect(run.result.status == .cancelled)
        #expect(run.result.usageSource == .notBilled)
    }

    @Test("a tool-call stream: both calls arrive as events and in the result, and join the history")
    func toolCalls() async {
        let transport = ScriptedTransport(
            .sse([
                WireFixtures.toolCallChunk(
                    index: 0, id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#),
                WireFixtures.toolCallChunk(index: 1, id: "call_2", name: "get_time", arguments: #"{"tz":"CET"}"#),
                WireFixtures.finishChunk("tool_calls"),
            ]))
        let (run, session) = await send(transport, "weather and time?")
        let r = run.result
        #expect(r.status == .ok)
        #expect(r.finishReason == "tool_calls")
        #expect(r.toolCalls.map(\.function.name) == ["get_weather", "get_time"])
        #expect(r.toolCalls.map(\.function.arguments) == [#"{"city":"Paris"}"#, #"{"tz":"CET"}"#])
        #expect(run.toolCalls.map(\.id) == ["call_1", "call_2"])
        #expect(r.chunkCount == 3)
        #expect(await session.history.last?.toolCalls?.map(\.id) == ["call_1", "call_2"])
    }

    @Test("the event cap: an event that never ends stops the reading within a read or two, keeping what came before")
    func eventCap() async {
        let first = "data: \(WireFixtures.textChunk("Hello"))\n\ndata: {\"x\":\""
        let transport = ScriptedTransport(
            .response(
                status: 200, headers: [.init("Content-Type", "text/event-stream")],
                body: [
                    .bytes(Array(first.utf8)),
                    .repeating(Array(repeating: UInt8(ascii: "a"), count: 1000), times: 10_000),
                ]))
        let (run, _) = await send(transport, maxEventBytes: 1000)
        #expect(run.result.content == "Hello")
        #expect(
            run.result.error?.message.contains("grew past 1000 bytes") == true, "\(run.result.error?.message ?? "")")
        #expect(transport.bodyReads < 5, "read \(transport.bodyReads) times")
    }

    @Test("the executor returns the terminal event it emitted last")
    func executorTerminal() async throws {
        let transport = ScriptedTransport(.sse(WireFixtures.textStream(["a", "b"])))
        let session = await Session.scripted(transport)
        let run = await collect(await session.submit("x", parameters: RequestParameters(), mode: .stream))
        guard case .started(let start) = run.events.first else {
            Issue.record("no start event")
            return
        }
        let again = ScriptedTransport(.sse(WireFixtures.textStream(["a", "b"])))
        let executor = RunExecutor(
            start: start, provider: .scripted(), transport: again, prices: .builtIn,
            estimator: TokenEstimator(), retry: .fastTests)
        let emitted = Mutex<[RunEvent]>([])
        let terminal = await executor.execute(body: Data(start.requestJSON.utf8)) { batch in
            emitted.withLock { $0 += batch }
        }
        #expect(emitted.withLock { $0.last } == terminal)
        #expect(terminal.result?.content == "ab")
        #expect(terminal.result?.runId == start.runId)
    }
}

/// The transport itself: what it serves is what the script says.
@Suite("ScriptedTransport")
struct ScriptedTransportTests {
    func read(_ body: ResponseBody) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await b in body { all += b }
        return all
    }

    @Test("resetAfter serves exactly N bytes, then the read throws a disconnect")
    func resetAfter() async throws {
        let transport = ScriptedTransport(.sse(["{}", "{}"]).resetAfter(bytes: 13))
        let response = try await transport.send(
            TransportRequest(url: URL(string: "http://127.0.0.1:1")!, body: Data(), apiKey: nil))
        var got: [UInt8] = []
        do {
            for try await b in response.body { got += b }
            Issue.record("no reset")
        } catch let e as TransportError {
            #expect(e.kind == .disconnected)
        }
        #expect(got == Array("data: {}\n\ndat".utf8))
    }

    @Test("an attempt past the end of the script is a transport error that says so")
    func exhausted() async {
        let transport = ScriptedTransport([])
        let request = TransportRequest(url: URL(string: "http://127.0.0.1:1")!, body: Data(), apiKey: nil, retry: .none)
        await #expect(throws: TransportError.self) { try await transport.send(request) }
    }

    @Test("readSize splits the bytes without losing or reordering any")
    func readSize() async throws {
        let whole = ScriptedTransport(.sse(["é", "ü"]))
        let split = ScriptedTransport(.sse(["é", "ü"], readSize: 3))
        let request = TransportRequest(url: URL(string: "http://127.0.0.1:1")!, body: Data(), apiKey: nil)
        let a = try await read(try await whole.send(request).body)
        let b = try await read(try await split.send(request).body)
        #expect(a == b)
        #expect(split.bodyReads == (a.count + 2) / 3)
    }
}
