import Foundation

/// Performs one HTTP exchange and turns it into `RunEvent`s: the one place where bytes become
/// events, shared by every front end. It is a value that lives for one run; `Session` owns the
/// conversation around it.
struct RunExecutor: Sendable {
    let start: RunStart
    let provider: Provider
    let transport: ChatTransport
    let prices: PriceTable
    let estimator: TokenEstimator
    let retry: RetryPolicy
    var maxEventBytes = SSEParser.defaultMaxEventBytes
    /// Whether text is handed on as it arrives (`Session.streamsProgress`).
    var streamsText = true

    /// Runs the exchange, handing event batches to `emit` (one batch per network read), and
    /// returns the terminal event, which is also the last one emitted.
    func execute(body: Data, emit: @Sendable ([RunEvent]) async -> Void) async -> RunEvent {
        let clock = ContinuousClock()
        let t0 = clock.now
        func ms() -> Double { let d = clock.now - t0; return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }
        var state = State()
        state.tally.estimator = estimator

        let request = TransportRequest(url: provider.chatURL, body: body, apiKey: provider.apiKey,
                                       extraHeaders: provider.extraHeaders, retry: retry)
        let response: TransportResponse
        do {
            response = try await transport.send(request)
        } catch {
            if Task.isCancelled || error is CancellationError {
                return await finish(&state, ms: ms(), error: nil, cancelled: true, emit: emit)
            }
            if let t = error as? TransportError {
                state.retries = t.retries
                state.retryStop = t.retryStop
            }
            return await finish(&state, ms: ms(), error: classify(error, state: state), emit: emit)
        }
        state.retries = response.retries
        state.retryStop = response.retryStop
        state.httpStatus = response.status
        state.timings.headersMs = ms()
        var batch: [RunEvent] = [.headers(status: response.status, ms: state.timings.headersMs!)]

        let contentType = response.header("content-type")?.lowercased() ?? ""
        let isSSE = contentType.contains("text/event-stream")
        var parser = SSEParser(maxEventBytes: maxEventBytes)
        var bodyBytes: [UInt8] = []
        let decoder = JSONDecoder()
        var fast = FastChunk()
        var shape = ChunkShape()
        // A read's events, in a buffer kept from read to read and read in place: iterating a
        // fresh array each read copied every event out of it (issue 15).
        var events: [SSEEvent] = []
        var sawDone = false
        do {
            readLoop: for try await bytes in response.body {
                if state.timings.firstByteMs == nil {
                    state.timings.firstByteMs = ms()
                    batch.append(.firstByte(ms: state.timings.firstByteMs!))
                }
                if response.status == 200 && isSSE {
                    let offset = Int64(ms() * 1000)
                    events.removeAll(keepingCapacity: true)
                    parser.feed(bytes) { events.append($0) }
                    SSEEvent.compactSparse(&events, read: bytes)
                    if parser.overflowed {
                        state.error = RunError(kind: .malformed, httpStatus: response.status,
                                               message: "one stream event grew past \(Self.mib(maxEventBytes)) without ending; reading stopped (what arrived before it is kept)")
                    }
                    if state.acc.chunkCount > 0 && decoder.userInfo.isEmpty { decoder.userInfo[ChatChunk.identityKnown] = true }
                    // Decoded here, one after the other: splitting a read's decoding across two
                    // cores made the stream no faster (its reader was not the bound) and cost
                    // 6% more CPU in hand-offs and copies (issue 15).
                    let known = decoder.userInfo[ChatChunk.identityKnown] as? Bool == true
                    for i in events.indices {
                        // The ordinary chunk goes straight to the accumulator; anything else (or
                        // anything the fast decoder is unsure of) through `StreamItem`.
                        if events[i].type != "error" {
                            let change: StreamAccumulator.Change?
                            switch shape.read(events[i].payload, identityKnown: known, into: &fast) {
                            case .text(let text, let field): change = state.acc.append(text, to: field)
                            case .chunk: change = state.acc.apply(fast)
                            case .general: change = nil
                            }
                            if let change {
                                logPayload(events[i], offset: offset, state: &state, batch: &batch)
                                took(change, events[i], offset: offset, state: &state, batch: &batch)
                                continue
                            }
                        }
                        let item = StreamItem.decodeGeneral(events[i], decoder: decoder)
                        if handle(events[i], item, offset: offset, state: &state, batch: &batch, ms: ms) {
                            sawDone = true
                            break
                        }
                    }
                    state.flushTally(into: &batch)
                    if !batch.isEmpty {
                        await emit(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                    // Past an overflow the parser takes nothing more: stop reading an endless body
                    // even when complete events came before it in the same read.
                    if sawDone || parser.overflowed { break readLoop }
                } else {
                    bodyBytes.append(contentsOf: bytes)
                    if bodyBytes.count > maxEventBytes {
                        state.error = RunError(kind: .malformed, httpStatus: response.status, message: "the response body is larger than \(Self.mib(maxEventBytes)); reading stopped")
                        bodyBytes = []
                        break readLoop
                    }
                }
                if Task.isCancelled { break }
            }
            if response.status == 200 && isSSE && !sawDone && !parser.overflowed && !Task.isCancelled {
                let offset = Int64(ms() * 1000)
                parser.finish { event in _ = handle(event, StreamItem.decode(event, decoder: decoder), offset: offset, state: &state, batch: &batch, ms: ms) }
                if state.error == nil && state.acc.finishReason == nil {
                    let tail = parser.unterminatedTailBytes > 0 ? " (\(parser.unterminatedTailBytes) bytes of an unfinished event dropped)" : ""
                    state.error = endedEarly("the stream ended without [DONE] or a finish reason" + tail, state: state)
                }
            }
        } catch {
            if !Task.isCancelled {
                state.error = classify(error, state: state)
                // The transport retries only until a response begins; past that, resending could
                // bill twice and would hide what the server did.
                if state.retryStop == nil { state.retryStop = "the response had begun" }
            }
        }
        if Task.isCancelled {
            state.flushTally(into: &batch)
            await emit(batch)
            return await finish(&state, ms: ms(), error: nil, cancelled: true, emit: emit)
        }
        if !(response.status == 200 && isSSE), state.error == nil || response.status != 200 {
            handleWholeBody(bodyBytes, status: response.status, location: response.header("location"), state: &state, batch: &batch, ms: ms)
        }
        state.flushTally(into: &batch)
        await emit(batch)
        return await finish(&state, ms: ms(), error: state.error, emit: emit)
    }

    struct State {
        var acc = StreamAccumulator()
        var timings = RunTimings()
        var seq = 0
        var error: RunError?
        var malformed: [String] = []
        var retries: [RetryAttempt] = []
        /// Why the last failure was not retried (from the transport, or the stream itself).
        var retryStop: String?
        var httpStatus: Int?
        /// `data:` fields that held nothing: ignored, counted.
        var emptyPayloads = 0
        /// A successful non-stream body was read (the server generated a reply).
        var absorbedBody = false
        /// The run's figures as counted so far, and whether consumers have seen this count.
        var tally = RunTally()
        var tallyChanged = false

        /// Ends a batch with the current count when it changed, so consumers see every count
        /// once and a batch without news carries none.
        mutating func flushTally(into batch: inout [RunEvent]) {
            guard tallyChanged else { return }
            batch.append(.tally(tally))
            tallyChanged = false
        }
    }

    static func mib(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
    }

    /// Handles one SSE event; returns true at `[DONE]`.
    private func handle(_ event: SSEEvent, _ item: StreamItem, offset: Int64, state: inout State,
                        batch: inout [RunEvent], ms: () -> Double) -> Bool {
        logPayload(event, offset: offset, state: &state, batch: &batch)
        switch item {
        case .done:
            return true
        case .error(let detail):
            if state.error == nil {
                var e = RunError.api(code: detail.code, httpStatus: nil, message: detail.message)
                // Past the first generated text (answer or reasoning) the reply is partial, not absent.
                if !state.acc.content.isEmpty || !state.acc.reasoning.isEmpty {
                    e.kind = .interrupted
                    e.message = "server reported an error mid-stream: " + (detail.message ?? detail.code ?? "")
                }
                state.error = e
                state.retryStop = "the error arrived inside the stream, after the request was answered"
            }
        case .empty:
            state.emptyPayloads += 1
        case .malformed(let reason):
            state.malformed.append("payload #\(state.seq - 1): \(reason): \(event.data.prefix(80))")
        case .chunk(let chunk):
            took(state.acc.apply(chunk), event, offset: offset, state: &state, batch: &batch)
        }
        return false
    }

    /// Every payload is logged raw, numbered in arrival order, whatever it turns out to be.
    private func logPayload(_ event: SSEEvent, offset: Int64, state: inout State, batch: inout [RunEvent]) {
        batch.append(.payload(seq: state.seq, offsetMicros: offset, data: event.payload))
        state.seq += 1
    }

    /// What a chunk changed, counted and passed on as events.
    private func took(
        _ change: StreamAccumulator.Change, _ event: SSEEvent, offset: Int64, state: inout State,
        batch: inout [RunEvent]
    ) {
        for p in change.shapeProblems {
            state.malformed.append("payload #\(state.seq - 1): \(p): \(event.data.prefix(80))")
        }
        // Token times are the arrival offset logged with the payload, not the moment it was
        // decoded: a read's chunks are decoded after it arrived, so a decode-time "first
        // token" could come after the last payload's arrival.
        state.tally.count(change, arrivedMs: Double(offset) / 1000)
        state.tallyChanged = true
        state.timings.firstTokenMs = state.tally.firstTokenMs
        state.timings.lastTokenMs = state.tally.lastTokenMs
        if streamsText {
            if let r = change.reasoning { batch.append(.reasoning(r)) }
            if let t = change.text { batch.append(.delta(t)) }
        }
        for i in change.toolCallIndexes {
            if let p = state.acc.toolCallsByIndex[i] { batch.append(.toolCall(p)) }
        }
        if let w = change.webSearch { batch.append(.webSearch(w)) }
        if let u = change.usage { batch.append(.usage(u)) }
    }

    /// A non-SSE body: a non-stream completion, or an error status with its JSON error.
    private func handleWholeBody(_ bytes: [UInt8], status: Int, location: String?, state: inout State, batch: inout [RunEvent], ms: () -> Double) {
        let text = String(decoding: bytes, as: UTF8.self)
        let offset = Int64((state.timings.firstByteMs ?? ms()) * 1000)
        batch.append(.payload(seq: state.seq, offsetMicros: offset, data: RawPayload(bytes: bytes)))
        state.seq += 1
        if (300..<400).contains(status) {
            let target = location.map { " to \($0)" } ?? ""
            state.error = RunError(kind: .api, httpStatus: status,
                                   message: "the server redirected the request (HTTP \(status))\(target); glmwb never follows a redirect for a POST",
                                   advice: "If you trust the target, use it as the base URL (--base-url or the provider's base_url).")
            return
        }
        guard status == 200 else {
            if let body = APIErrorBody.parse(bytes) {
                state.error = .api(code: body.detail.code, httpStatus: status, message: body.detail.message)
            } else {
                var e = RunError.api(code: nil, httpStatus: status, message: "HTTP \(status): " + String(text.prefix(200)))
                if text.isEmpty { e.message = "HTTP \(status) with an empty body" }
                state.error = e
            }
            return
        }
        do {
            let completion = try JSONDecoder().decode(ChatCompletion.self, from: Data(bytes))
            guard !completion.choices.isEmpty else {
                if let body = APIErrorBody.parse(bytes) {
                    state.error = .api(code: body.detail.code, httpStatus: status, message: body.detail.message)
                } else {
                    state.error = RunError(kind: .malformed, httpStatus: status, message: "the body has no choices: " + String(text.prefix(120)))
                }
                return
            }
            state.acc.absorb(completion)
            state.absorbedBody = true
            // Reasoning is generated (and billed) text too: the estimate counts it with the answer.
            let calls = state.acc.toolCalls.map { $0.function.name + $0.function.arguments }.joined()
            state.tally.countBody(state.acc.reasoning + state.acc.content + calls)
            state.tallyChanged = true
            let now = ms()
            state.timings.firstTokenMs = state.timings.firstByteMs ?? now
            state.timings.lastTokenMs = now
            if streamsText && !state.acc.reasoning.isEmpty { batch.append(.reasoning(state.acc.reasoning)) }
            if streamsText && !state.acc.content.isEmpty { batch.append(.delta(state.acc.content)) }
            for p in state.acc.toolCallsByIndex.keys.sorted().compactMap({ state.acc.toolCallsByIndex[$0] }) { batch.append(.toolCall(p)) }
            if !state.acc.webSearch.isEmpty { batch.append(.webSearch(state.acc.webSearch)) }
            if let u = state.acc.usage { batch.append(.usage(u)) }
        } catch {
            state.error = RunError(kind: .malformed, httpStatus: status, message: "the body is not a chat completion: " + StreamItem.describe(error))
        }
    }

    /// A stream that stopped short: `interrupted` once the model had generated anything (the
    /// reasoning of a thinking model counts: it is kept, like a partial answer), else a
    /// transport failure.
    private func endedEarly(_ message: String, state: State) -> RunError {
        let acc = state.acc
        let partial = !acc.content.isEmpty || !acc.reasoning.isEmpty || !acc.toolCallsByIndex.isEmpty
        return RunError(kind: partial ? .interrupted : .transport, message: message, retryable: true)
    }

    private func classify(_ error: Error, state: State) -> RunError {
        if let t = error as? TransportError {
            if state.acc.chunkCount > 0 {
                return RunError(kind: .interrupted, message: t.message + " after \(state.acc.chunkCount) chunks; partial reply kept", retryable: true)
            }
            if state.httpStatus != nil {
                return RunError(kind: .transport, message: t.message + " (after the response headers, before any reply)", retryable: true)
            }
            return RunError(kind: .transport, message: t.message, retryable: true)
        }
        return endedEarly(String(describing: error), state: state)
    }

    private func finish(_ state: inout State, ms: Double, error: RunError?, cancelled: Bool = false,
                        emit: @Sendable ([RunEvent]) async -> Void) async -> RunEvent {
        state.timings.totalMs = ms
        var error = error
        let acc = state.acc
        if error == nil, !state.malformed.isEmpty {
            error = RunError(kind: .malformed, message: "\(state.malformed.count) payload(s) were not valid chunks and were skipped; the first: \(state.malformed[0])")
        }
        if error == nil, acc.finishReason == "sensitive" {
            let who = acc.contentFilter.compactMap { f in f.role.map { "\($0) level \(f.level ?? -1)" } }.joined(separator: ", ")
            error = RunError(kind: .contentFilter, message: "the reply was cut by content safety" + (who.isEmpty ? "" : " (\(who))") + "; it is kept in the log but not sent back as history",
                             meaning: "sensitive content", advice: "Rephrase the prompt.")
        }
        if error == nil, acc.finishReason == "network_error" {
            error = RunError(kind: .interrupted, message: "the server's inference failed (finish_reason network_error); send again", retryable: true)
        }
        var anomalies: [String] = []
        if let p = acc.usageProblem { anomalies.append(p.description) }
        if state.emptyPayloads > 0 { anomalies.append("\(state.emptyPayloads) empty data: line(s) ignored") }
        let reported = acc.usage
        // A request that got no reply generated nothing and is not billed: zero by definition
        // (labelled so), not the prompt's size as an estimate of a cost that never happened.
        let answered = acc.chunkCount > 0 || state.absorbedBody
        let usage = reported ?? (answered
            ? Usage(promptTokens: start.promptEstimate, completionTokens: state.tally.completionEstimate)
            : Usage(promptTokens: 0, completionTokens: 0))
        let source: UsageSource = reported != nil ? .reported : (answered ? .estimated : .notBilled)
        let searched = WebSearchCount.performed(
            request: start.request, resultsReturned: !acc.webSearch.isEmpty, answered: answered)
        var cost = prices.cost(
            usage: usage, basis: source, provider: provider, model: start.model, webSearchUses: searched.count)
        cost.webSearchCountedFromRequest = cost.webSearchUses > 0 && searched.source == .estimated
        if var e = error, !cancelled, e.kind != .contentFilter, e.kind != .invalidRequest {
            // Say what happened to retries, not what usually happens.
            let stop = state.retryStop ?? (e.kind == .interrupted ? "the reply had started; a partial reply is never resent silently" : nil)
            // "Not retried" is news only for a failure that could have been retried.
            let worthSaying = !state.retries.isEmpty || e.retryable || e.kind == .interrupted
            if worthSaying, let account = RetryPolicy.account(state.retries, stop: stop) {
                e.advice = [account, e.advice].compactMap { $0 }.joined(separator: ". ")
            }
            error = e
        }
        let status: RunStatus = cancelled ? .cancelled : (error == nil ? .ok : (error!.kind == .interrupted ? .interrupted : .failed))
        let result = RunResult(runId: start.runId, conversationId: start.conversationId, mode: start.mode, status: status,
                               content: acc.content, toolCalls: acc.toolCalls, finishReason: acc.finishReason, usage: usage,
                               usageSource: source, cost: cost, timings: state.timings, chunkCount: start.mode == .stream ? state.tally.chunks : 0,
                               webSearch: acc.webSearch, contentFilter: acc.contentFilter, error: error, retries: state.retries,
                               httpStatus: state.httpStatus, anomalies: anomalies)
        // The reasoning is the one field set apart: a thinking model's, empty for every other.
        var done = result
        done.reasoning = acc.reasoning
        done.responseId = acc.id
        let terminal: RunEvent = cancelled ? .cancelled(done) : (error == nil ? .finished(done) : .failed(done))
        await emit([terminal])
        return terminal
    }
}

extension RunExecutor {
    /// The terminal event of a request refused before sending.
    func rejected(_ error: RunError) -> RunEvent {
        let usage = Usage(promptTokens: 0, completionTokens: 0)
        let result = RunResult(runId: start.runId, conversationId: start.conversationId, mode: start.mode, status: .failed,
                               content: "", toolCalls: [], finishReason: nil, usage: usage, usageSource: .notBilled,
                               cost: prices.cost(usage: usage, basis: .notBilled, provider: provider, model: start.model, webSearchUses: 0),
                               timings: RunTimings(), chunkCount: 0, webSearch: [], contentFilter: [], error: error,
                               retries: [], httpStatus: nil)
        return .failed(result)
    }
}
