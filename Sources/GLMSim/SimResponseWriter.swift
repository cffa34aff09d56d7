/// Frames a scripted outcome on the wire: SSE chunks or one JSON body, following zai-api.md §3/§4
/// byte for byte, then applies the delivery fault.
struct SimResponseWriter {
    /// Shared by every chunk of one response, as on the real platform.
    var id: String
    var created: Int
    var request: SimRequest

    /// Pause between the two halves of a split multi-byte character: long enough that the
    /// client's read returns the first half alone.
    static let splitDelayMilliseconds = 5
    static let sseContentType = "text/event-stream;charset=UTF-8"

    func response(for outcome: SimOutcome) -> SimResponse {
        switch outcome {
        case .httpError(let status, let body, let headers):
            return .json(status: status, body, headers: headers)
        case .reply(let reply, let delivery):
            return (request.stream ? stream(reply, delivery) : nonStream(reply, delivery)).coalesced()
        }
    }

    // MARK: Non-stream

    func body(for reply: SimReply) -> SimJSON {
        var message: [(String, SimJSON)] = [("role", .string("assistant")), ("content", .string(reply.fullContent))]
        if !reply.reasoning.isEmpty { message.append(("reasoning_content", .string(reply.reasoning.joined()))) }
        if !reply.toolCalls.isEmpty {
            message.append(("tool_calls", .array(reply.toolCalls.enumerated().map { toolCallJSON($1, index: $0) })))
        }
        var top: [(String, SimJSON)] = [
            ("id", .string(id)),
            ("request_id", .string(request.requestID ?? id)),
            ("created", .int(created)),
            ("model", .string(request.model)),
            ("choices", .array([.object([
                ("index", .int(0)),
                ("finish_reason", .string(reply.finishReason)),
                ("message", .object(message)),
            ])])),
        ]
        if reply.includeUsage { top.append(("usage", usage(reply))) }
        if let search = reply.webSearch { top.append(("web_search", search)) }
        if let filter = reply.contentFilter { top.append(("content_filter", filter)) }
        return .object(top)
    }

    func nonStream(_ reply: SimReply, _ delivery: SimDelivery) -> SimResponse {
        let bytes = body(for: reply).bytes
        let head = SimResponse.Step(part: .head(status: 200, headers: SimResponse.jsonHeaders(length: bytes.count)))
        switch delivery {
        case .normal, .noDone, .crlf:
            return SimResponse(steps: [head, .init(part: .body(bytes))], ending: .end)
        case .slow(let ms):
            // A non-streamed answer arrives only once the whole generation is done.
            var delayed = head
            delayed.delayMilliseconds = ms * reply.content.count
            return SimResponse(steps: [delayed, .init(part: .body(bytes))], ending: .end)
        case .cjkSplit:
            return SimResponse(steps: [head] + splitInsideCharacter(bytes), ending: .end)
        case .stall:
            // The server is "thinking" forever: not even the status line arrives.
            return SimResponse(steps: [], ending: .hold)
        case .disconnect(let n):
            let cut = min(n, max(bytes.count - 1, 0))
            return SimResponse(steps: [head, .init(part: .body(Array(bytes.prefix(cut))))], ending: .abort)
        case .malformed:
            return .json(status: 200, bytes: Array(bytes.prefix(bytes.count / 2)))
        case .eventError:
            return .json(status: 500, SimScript.httpErrorBody(code: "1234", message: "network error"))
        case .inbandError:
            // The 200-with-an-error-body case a client must not mistake for a reply.
            return .json(status: 200, SimScript.httpErrorBody(code: "500", message: "internal error"))
        }
    }

    // MARK: Stream

    func chunk(_ choice: [(String, SimJSON)], extra: [(String, SimJSON)] = []) -> SimJSON {
        .object([
            ("id", .string(id)),
            ("created", .int(created)),
            ("model", .string(request.model)),
            ("choices", .array([.object(choice)])),
        ] + extra)
    }

    /// The `data:` payloads of a reply, in order, without framing or [DONE].
    func events(for reply: SimReply) -> (content: [String], tools: [String], final: String) {
        var content: [String] = []
        content.reserveCapacity(reply.reasoning.count + reply.content.count)
        // Reasoning first, as recorded: the opening delta also carries `"content":""`, the
        // rest only the role and the reasoning.
        for (i, piece) in reply.reasoning.enumerated() {
            var delta: [(String, SimJSON)] = [("role", .string("assistant"))]
            if i == 0 { delta.append(("content", .string(""))) }
            delta.append(("reasoning_content", .string(piece)))
            content.append(chunk([("index", .int(0)), ("delta", .object(delta))]).rendered)
        }
        // Text chunks differ only in their content string; rendering the rest once keeps
        // `long:100000` from spending its time re-encoding the same keys.
        var prefix = "{\"id\":"
        SimJSON.appendString(id, to: &prefix)
        prefix += ",\"created\":\(created),\"model\":"
        SimJSON.appendString(request.model, to: &prefix)
        prefix += ",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":"
        let suffix = "}}]}"
        for (i, piece) in reply.content.enumerated() {
            if i == 0, let search = reply.webSearch {
                let delta: SimJSON = .object([("role", .string("assistant")), ("content", .string(piece))])
                content.append(chunk([("index", .int(0)), ("delta", delta)], extra: [("web_search", search)]).rendered)
                continue
            }
            var line = prefix
            SimJSON.appendString(piece, to: &line)
            line += suffix
            content.append(line)
        }
        let tools = reply.toolCalls.enumerated().map { index, call in
            chunk([
                ("index", .int(0)),
                ("finish_reason", .string(reply.finishReason)),
                ("delta", .object([("tool_calls", .array([toolCallJSON(call, index: index)]))])),
            ]).rendered
        }
        var extra: [(String, SimJSON)] = []
        if reply.includeUsage { extra.append(("usage", usage(reply))) }
        if let filter = reply.contentFilter { extra.append(("content_filter", filter)) }
        // A reply with no content chunks still has to deliver web_search somewhere.
        if reply.content.isEmpty, let search = reply.webSearch { extra.append(("web_search", search)) }
        let final = chunk([
            ("index", .int(0)),
            ("finish_reason", .string(reply.finishReason)),
            ("delta", .object([("role", .string("assistant")), ("content", .string(""))])),
        ], extra: extra).rendered
        return (content, tools, final)
    }

    func stream(_ reply: SimReply, _ delivery: SimDelivery) -> SimResponse {
        let (content, tools, final) = events(for: reply)
        let all = content + tools + [final]
        func data(_ payload: String) -> [UInt8] { Array("data: \(payload)\n\n".utf8) }
        let done = Array("data: [DONE]\n\n".utf8)
        var headers = [SimHeader(name: "Content-Type", value: Self.sseContentType), SimHeader(name: "Cache-Control", value: "no-cache")]
        var body: [SimResponse.Step] = []
        var ending = SimResponse.Ending.end

        switch delivery {
        case .normal:
            body = all.map { .init(part: .body(data($0))) } + [.init(part: .body(done))]
        case .slow(let ms):
            body = all.map { .init(part: .body(data($0)), delayMilliseconds: ms) } + [.init(part: .body(done))]
        case .cjkSplit:
            let bytes = all.flatMap(data) + done
            body = splitInsideCharacter(bytes)
        case .stall(let n):
            body = content.prefix(n).map { .init(part: .body(data($0))) }
            ending = .hold
        case .disconnect(let n):
            let bytes = all.flatMap(data)
            body = [.init(part: .body(Array(bytes.prefix(n))))]
            ending = .abort
        case .malformed:
            let broken = Array("data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"brok\n\n".utf8)
            let middle = content.count / 2
            body = content.prefix(middle).map { .init(part: .body(data($0))) }
                + [.init(part: .body(broken))]
                + (Array(content.dropFirst(middle)) + tools + [final]).map { .init(part: .body(data($0))) }
                + [.init(part: .body(done))]
        case .eventError, .inbandError:
            let errorPayload = SimScript.httpErrorBody(
                code: delivery == .eventError ? "1234" : "500",
                message: delivery == .eventError ? "network error" : "internal error"
            ).rendered
            let tail = delivery == .eventError ? "event: error\ndata: \(errorPayload)\n\n" : "data: \(errorPayload)\n\n"
            body = content.prefix(3).map { .init(part: .body(data($0))) } + [.init(part: .body(Array(tail.utf8)))]
            ending = .endAndClose
            headers.append(SimHeader(name: "Connection", value: "close"))
        case .noDone:
            body = all.map { .init(part: .body(data($0))) }
            ending = .endAndClose
            headers.append(SimHeader(name: "Connection", value: "close"))
        case .crlf:
            body = [.init(part: .body(Array(": keep-alive\r\n\r\n".utf8)))]
            body += all.enumerated().map { i, payload in
                .init(part: .body(Array("id: \(i + 1)\r\ndata: \(payload)\r\n\r\n".utf8)))
            }
            body.append(.init(part: .body(Array("data: [DONE]\r\n\r\n".utf8))))
        }
        return SimResponse(steps: [.init(part: .head(status: 200, headers: headers))] + body, ending: ending)
    }

    // MARK: Pieces

    func usage(_ reply: SimReply) -> SimJSON {
        let prompt = request.promptTokens + reply.extraPromptTokens
        let completion = reply.completionTokens
        var fields: [(String, SimJSON)] = [
            ("prompt_tokens", .int(prompt)),
            ("completion_tokens", .int(completion)),
            ("total_tokens", .int(prompt + completion)),
        ]
        if reply.cachedTokens > 0 {
            fields.append(("prompt_tokens_details", .object([("cached_tokens", .int(reply.cachedTokens))])))
        }
        if !reply.reasoning.isEmpty {
            fields.append(("completion_tokens_details", .object([("reasoning_tokens", .int(reply.reasoning.count))])))
        }
        return .object(fields)
    }

    func toolCallJSON(_ call: SimToolCall, index: Int) -> SimJSON {
        .object([
            ("id", .string(call.id)),
            ("index", .int(index)),
            ("type", .string("function")),
            ("function", .object([("name", .string(call.name)), ("arguments", .string(call.arguments))])),
        ])
    }

    /// Two writes with the boundary inside the first multi-byte character, so clients that
    /// decode each read as UTF-8 on its own corrupt the text and get caught.
    func splitInsideCharacter(_ bytes: [UInt8]) -> [SimResponse.Step] {
        guard let lead = bytes.firstIndex(where: { $0 >= 0xC0 }) else {
            return [.init(part: .body(bytes))]
        }
        let cut = lead + 1
        return [
            .init(part: .body(Array(bytes[..<cut]))),
            .init(part: .body(Array(bytes[cut...])), delayMilliseconds: Self.splitDelayMilliseconds),
        ]
    }
}

extension SimResponse {
    /// Merges adjacent undelayed body writes (up to 64 KiB) into one: the bytes on the wire are
    /// the same, but a 100,000-chunk reply no longer costs 100,000 trips through the pipeline.
    /// Delayed steps stay separate, which is what keeps split characters and drips intact.
    func coalesced(limit: Int = 64 * 1024) -> SimResponse {
        var out: [Step] = []
        var pending: [UInt8] = []
        func flushPending() {
            if !pending.isEmpty { out.append(Step(part: .body(pending))) }
            pending = []
        }
        for step in steps {
            if case .body(let bytes) = step.part, step.delayMilliseconds == 0 {
                if pending.count + bytes.count > limit { flushPending() }
                pending.append(contentsOf: bytes)
            } else {
                flushPending()
                out.append(step)
            }
        }
        flushPending()
        return SimResponse(steps: out, ending: ending)
    }
}
