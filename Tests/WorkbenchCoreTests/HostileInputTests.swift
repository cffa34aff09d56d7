import Foundation
import Testing
@testable import WorkbenchCore

/// Numbers and shapes from a hostile or broken server: refused at the door, never trapping,
/// never silently absorbed.
@Suite("Hostile input: usage, shapes, limits, arithmetic")
struct HostileInputTests {
    static func usage(_ json: String) throws -> Usage {
        try JSONDecoder().decode(Usage.self, from: Data(json.utf8))
    }

    static func invalidReason(_ json: String) -> String? {
        do { _ = try usage(json); return nil } catch { return Usage.invalid(in: error)?.reason ?? "not an Invalid: \(error)" }
    }

    @Test("usage counts outside 0…10¹², non-integers and totals that do not add up are refused",
          arguments: [
              (#"{"prompt_tokens": 9223372036854775807, "completion_tokens": 9223372036854775807}"#, "prompt_tokens 9223372036854775807"),
              (#"{"prompt_tokens": -100, "completion_tokens": 3}"#, "prompt_tokens -100"),
              (#"{"prompt_tokens": 5, "completion_tokens": -1}"#, "completion_tokens -1"),
              (#"{"prompt_tokens": 1e30, "completion_tokens": 3}"#, "not a whole number"),
              (#"{"prompt_tokens": 2.5, "completion_tokens": 3}"#, "not a whole number"),
              (#"{"prompt_tokens": "5", "completion_tokens": 3}"#, "not a number"),
              (#"{"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 1000}"#, "total_tokens 1000"),
              (#"{"prompt_tokens": 5, "completion_tokens": 3, "prompt_tokens_details": {"cached_tokens": 9}}"#, "cached_tokens 9"),
          ])
    func refused(_ json: String, _ reason: String) {
        let r = Self.invalidReason(json)
        #expect(r?.contains(reason) == true, "\(r ?? "accepted")")
    }

    @Test("believable usage decodes as before: absent counts are 0, a missing total is the sum")
    func accepted() throws {
        let u = try Self.usage(#"{"prompt_tokens": 5, "completion_tokens": 3}"#)
        #expect(u == Usage(promptTokens: 5, completionTokens: 3, totalTokens: 8))
        let big = try Self.usage(#"{"prompt_tokens": 1000000000000, "completion_tokens": 1000000000000, "total_tokens": 2000000000000}"#)
        #expect(big.totalTokens == 2_000_000_000_000)
        let cached = try Self.usage(#"{"prompt_tokens": 9, "completion_tokens": 1, "total_tokens": 10, "prompt_tokens_details": {"cached_tokens": 4}}"#)
        #expect(cached.cachedTokens == 4)
        #expect(try Self.usage(#"{"completion_tokens": null}"#) == Usage(promptTokens: 0, completionTokens: 0))
    }

    @Test("a chunk with an invalid usage keeps its text and says why the usage was dropped")
    func chunkKeepsText() throws {
        let json = #"{"choices":[{"index":0,"delta":{"content":"hi"}}],"usage":{"prompt_tokens":-5,"completion_tokens":2}}"#
        let chunk = try JSONDecoder().decode(ChatChunk.self, from: Data(json.utf8))
        #expect(chunk.usage == nil)
        #expect(chunk.usageProblem?.reason.contains("-5") == true)
        var acc = StreamAccumulator()
        acc.apply(chunk)
        #expect(acc.content == "hi")
        #expect(acc.usage == nil && acc.usageProblem != nil)
        let body = #"{"choices":[{"index":0,"message":{"role":"assistant","content":"ok"}}],"usage":{"prompt_tokens":9223372036854775807}}"#
        let completion = try JSONDecoder().decode(ChatCompletion.self, from: Data(body.utf8))
        #expect(completion.usage == nil && completion.usageProblem != nil)
        #expect(completion.choices.first?.message?.content == "ok")
    }

    @Test("wrong shapes are reported, not dropped: choices as an object, delta as a string")
    func shapes() throws {
        let object = try JSONDecoder().decode(ChatChunk.self, from: Data(#"{"choices":{"index":0,"delta":{"content":"x"}}}"#.utf8))
        #expect(object.choices.isEmpty)
        #expect(object.shapeProblems == ["`choices` is not a list"])
        let string = try JSONDecoder().decode(ChatChunk.self, from: Data(#"{"choices":[{"index":0,"delta":"x"}]}"#.utf8))
        #expect(string.shapeProblems == ["`delta` is not an object"])
        let fine = try JSONDecoder().decode(ChatChunk.self, from: Data(#"{"choices":[],"usage":null}"#.utf8))
        #expect(fine.shapeProblems.isEmpty && fine.usageProblem == nil)
    }

    @Test("an empty data: field is its own item, not a malformed payload")
    func emptyData() {
        for data in ["", " ", "\n"] {
            guard case .empty = StreamItem.decode(SSEEvent(data: data), decoder: JSONDecoder()) else {
                Issue.record("\(data.debugDescription) was not .empty")
                continue
            }
        }
    }

    @Test("one SSE line or event past the cap stops the parser, whatever the read sizes")
    func eventCap() {
        for split in [1, 7, 4096, 1 << 16] {
            var p = SSEParser(maxEventBytes: 1000)
            var events: [SSEEvent] = []
            let bytes = Array("data: {\"a\":1}\n\n".utf8) + Array("data: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 5000)
            var i = 0
            while i < bytes.count {
                p.feed(bytes[i..<min(bytes.count, i + split)]) { events.append($0) }
                i += split
            }
            #expect(p.overflowed, "split \(split)")
            #expect(events.map(\.data) == ["{\"a\":1}"], "the event before the endless line is kept (split \(split))")
        }
        // Many short data lines that add up past the cap are one event too big.
        var p = SSEParser(maxEventBytes: 100)
        p.feed(Array(String(repeating: "data: 0123456789\n", count: 20).utf8)) { _ in }
        #expect(p.overflowed)
        // At the cap exactly, nothing is refused.
        var q = SSEParser(maxEventBytes: 10)
        var got: [String] = []
        q.feed(Array("data: 0123456789\n\n".utf8)) { got.append($0.data) }
        #expect(!q.overflowed && got == ["0123456789"])
    }

    @Test("saturating arithmetic pins at the bounds instead of trapping")
    func saturating() {
        #expect(Int.max.addingSaturated(1) == .max)
        #expect(Int.min.addingSaturated(-1) == .min)
        #expect(3.addingSaturated(4) == 7)
        #expect(Int.max.multipliedSaturated(by: -2) == .min)
        #expect([Int.max, Int.max].saturatedSum() == .max)
        #expect(Int(clamping: Double.nan) == 0)
        #expect(Int(clamping: Double.infinity) == .max)
        #expect(Int(clamping: -1e300) == .min)
        #expect(Int(clamping: 2.9) == 2)
        #expect(Usage(promptTokens: .max, completionTokens: .max).totalTokens == .max)
    }

    @Test("text from a server cannot drive the terminal: controls become visible, LF and TAB stay")
    func terminalText() {
        #expect(TerminalText.visible("plain\ttext\nnext") == "plain\ttext\nnext")
        #expect(TerminalText.visible("a\u{1B}]52;c;eA==\u{07}b") == "a\u{241B}]52;c;eA==\u{2407}b")
        #expect(TerminalText.visible("\u{1B}[2J") == "\u{241B}[2J")
        #expect(TerminalText.visible("line\r\nnext") == "line\nnext", "CRLF is a line end")
        #expect(TerminalText.visible("fake\roverwrite") == "fake\u{240D}overwrite", "a bare CR cannot overwrite a line")
        #expect(TerminalText.visible("\u{9B}31m") == "<U+009B>31m", "C1 CSI")
        #expect(TerminalText.visible("\u{7F}") == "\u{2421}")
        #expect(TerminalText.visible("中文 ✓ é") == "中文 ✓ é")
    }

    @Test("a provider that is not Z.AI is not charged Z.AI's list price for a model of the same name")
    func priceScope() {
        let t = PriceTable.builtIn
        let u = Usage(promptTokens: 1000, completionTokens: 1000)
        #expect(t.cost(usage: u, basis: .reported, providerName: "zai", free: false, model: Provider.glmModel, webSearchUses: 0).usd != nil)
        #expect(t.cost(usage: u, basis: .reported, providerName: "openai", free: false, model: Provider.glmModel, webSearchUses: 0).usd == nil)
        let free = t.cost(usage: u, basis: .reported, providerName: "sim", free: true, model: Provider.glmModel, webSearchUses: 0)
        #expect(free.usd == 0 && free.wouldCostUSD != nil, "free providers still say what it would cost at GLM rates")
    }

    @Test("a request nobody answered costs $0 and says it was not billed, whatever the price table knows")
    func notBilled() {
        let t = PriceTable.builtIn
        let zero = Usage(promptTokens: 0, completionTokens: 0)
        for name in ["zai", "openai"] {
            let c = t.cost(usage: zero, basis: .notBilled, providerName: name, free: false, model: Provider.glmModel, webSearchUses: 0)
            #expect(c.usd == 0)
            #expect(c.label == "$0 · not billed (no answer)")
        }
    }

    @Test("parameters are checked against the provider's documented ranges")
    func parameterRanges() {
        var r = ChatRequest(model: Provider.glmModel, messages: [.user("x")])
        r.temperature = 2
        r.topP = 0
        r.maxTokens = 999_999
        let glm = r.validationErrors(glmRules: true)
        #expect(glm.contains { $0.hasPrefix("temperature 2.0 is outside 0…1") })
        #expect(glm.contains { $0.hasPrefix("top_p 0.0 is outside 0.01…1") })
        #expect(glm.contains { $0.contains("16384-token output limit") })
        let other = r.validationErrors(glmRules: false)
        #expect(other.isEmpty, "\(other)")
        r.temperature = .nan
        #expect(r.validationErrors(glmRules: false).contains { $0.hasPrefix("temperature nan") })
    }
}

@Suite("Retry decisions say why")
struct RetryDecisionTests {
    let p = RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 8, maxTotal: 60)

    @Test("each stop has its reason")
    func reasons() {
        func stop(_ d: RetryPolicy.Decision) -> String? { if case .stop(let r) = d { return r }; return nil }
        #expect(stop(p.decide(afterAttempt: 0, advice: .backoff, shouldRetryHeader: "false", retryAfter: nil, elapsed: 0))?.contains("x-should-retry") == true)
        #expect(stop(p.decide(afterAttempt: 0, advice: .no, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0)) == "this error is not retryable")
        #expect(stop(p.decide(afterAttempt: 0, advice: .backoff, shouldRetryHeader: nil, retryAfter: "3600", elapsed: 0))?.contains("3600 s (Retry-After)") == true)
        #expect(stop(p.decide(afterAttempt: 3, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0)) == "4 attempts made")
        #expect(stop(p.decide(afterAttempt: 1, advice: .once, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0)) == "this failure is retried at most once")
        #expect(stop(RetryPolicy.none.decide(afterAttempt: 0, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0)) == "retries are off")
        #expect(p.decide(afterAttempt: 0, advice: .backoff, shouldRetryHeader: nil, retryAfter: "nan", elapsed: 0, jitter: 0) == .retry(after: 0.5),
                "a Retry-After that is not a finite number is ignored")
    }

    @Test("an attempt that used up the window (a read timeout of 120 s) is not followed by another")
    func windowAfterAttempt() {
        guard case .stop(let reason) = p.decide(afterAttempt: 0, advice: .once, shouldRetryHeader: nil, retryAfter: nil, elapsed: 120) else {
            Issue.record("retried after the window")
            return
        }
        #expect(reason.contains("retry window"))
    }

    @Test("the account of what happened")
    func account() {
        #expect(RetryPolicy.account([], stop: nil) == nil)
        #expect(RetryPolicy.account([], stop: "x") == "Not retried: x")
        let tries = [RetryAttempt(status: 500, code: nil, message: "a", delayMs: 1000), RetryAttempt(status: 500, code: nil, message: "b", delayMs: 2100)]
        #expect(RetryPolicy.account(tries, stop: "4 attempts made") == "Retried 2× over 3.1 s, then stopped: 4 attempts made")
    }

    @Test("catalog advice never claims a retry that may not have happened")
    func catalogHonest() {
        for e in ZAIErrorCatalog.all {
            #expect(!e.advice.localizedCaseInsensitiveContains("retried"), "\(e.code): \(e.advice)")
        }
    }
}

/// A transport that serves one scripted body from memory and counts how much of it was read.
private final class EndlessBodyTransport: ChatTransport, @unchecked Sendable {
    let first: [UInt8]
    private let reads = Mutex(0)
    var readCount: Int { reads.withLock { $0 } }

    init(first: [UInt8]) { self.first = first }

    func send(_ request: TransportRequest) async throws -> TransportResponse {
        TransportResponse(status: 200, headers: [("Content-Type", "text/event-stream")], body: ResponseBody { [self] in
            ResponseBody.AsyncIterator { [self] in
                let n = reads.withLock { r -> Int in
                    r += 1
                    return r
                }
                // Endless: the executor must stop reading on its own (a safety stop keeps a
                // broken executor from hanging the test run).
                if n > 10_000 { return nil }
                return n == 1 ? first : Array(repeating: UInt8(ascii: "a"), count: 1000)
            }
        })
    }
}

@Suite("The run stops reading at the event cap")
struct EventCapExecutorTests {
    @Test("a complete event and the overflow in one read: the run stops reading, keeps the event, and says why")
    func overflowInTheSameRead() async {
        let chunk = #"{"choices":[{"index":0,"delta":{"content":"Hello"}}]}"#
        let transport = EndlessBodyTransport(first: Array("data: \(chunk)\n\ndata: {\"x\":\"".utf8) + Array(repeating: UInt8(ascii: "a"), count: 2000))
        let provider = Provider(name: "openai", kind: .openAICompatible, baseURL: URL(string: "http://127.0.0.1:1/v1")!, apiKey: nil,
                                defaultModel: "m", free: false)
        let session = Session(provider: provider, transport: transport, log: nil, maxEventBytes: 1000)
        var result: RunResult?
        for await batch in await session.submit("hi", parameters: RequestParameters(), mode: .stream) {
            for e in batch { if let r = e.result { result = r } }
        }
        #expect(result?.content == "Hello")
        #expect(result?.error?.message.contains("grew past 1000 bytes") == true, "\(result?.error?.message ?? "")")
        #expect(transport.readCount < 5, "read \(transport.readCount) times after the cap")
    }
}
