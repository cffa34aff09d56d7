import Foundation
import WorkbenchCore

/// One function call the simulated model makes.
struct SimToolCall: Sendable, Equatable {
    var id: String
    var name: String
    /// A JSON *string*, as the platform sends it.
    var arguments: String

    static let weather = SimToolCall(id: "call_-8303649628005950554", name: "get_weather", arguments: "{\"city\": \"Paris\"}")
    static let time = SimToolCall(id: "call_-8303649628005950553", name: "get_time", arguments: "{\"timezone\": \"Europe/Paris\"}")
}

/// What the simulated model says, independent of how it is framed on the wire, so streamed and
/// non-streamed answers to the same request cannot drift apart.
struct SimReply: Sendable, Equatable {
    var content: [String]
    /// A thinking model's `reasoning_content` pieces, sent before any content.
    var reasoning: [String] = []
    var toolCalls: [SimToolCall] = []
    var finishReason: String = "stop"
    var includeUsage = true
    var webSearch: SimJSON? = nil
    var contentFilter: SimJSON? = nil
    /// Added to the reported prompt tokens (to make one mode's usage differ).
    var extraPromptTokens = 0
    /// Reported as `prompt_tokens_details.cached_tokens` (part of the prompt tokens).
    var cachedTokens = 0

    var fullContent: String { content.joined() }
    /// One "token" per chunk keeps stream and non-stream usage equal without a tokenizer.
    var completionTokens: Int { max(1, content.count + reasoning.count + toolCalls.count) }
}

/// How a reply is delivered: the transport-level faults a client must survive.
enum SimDelivery: Sendable, Equatable {
    case normal
    case cjkSplit
    case slow(milliseconds: Int)
    case stall(chunks: Int)
    case disconnect(afterBytes: Int)
    case malformed
    case eventError
    case inbandError
    case noDone
    case crlf
}

/// The answer a scenario gives before framing: an HTTP error or a reply with its delivery.
enum SimOutcome: Sendable, Equatable {
    case httpError(status: Int, body: SimJSON, headers: [SimHeader])
    case reply(SimReply, SimDelivery)
}

struct SimHeader: Sendable, Equatable {
    var name: String
    var value: String
}

/// The scripted "model": turns a scenario and a request into an outcome. Replies quote the
/// request (last user message, message count, tool results) so multi-turn tests can tell that
/// their history actually reached the server.
enum SimScript {
    /// - Parameter attempt: 1-based count of requests seen for this scenario key, for `flaky`.
    static func outcome(for scenario: SimScenario, request: SimRequest, attempt: Int) -> SimOutcome {
        switch scenario {
        case .text:
            return .reply(SimReply(content: wordChunks(greeting(request))), .normal)
        case .cjk:
            return .reply(SimReply(content: cjkChunks(request)), .cjkSplit)
        case .long(let n):
            return .reply(SimReply(content: (1...n).map { $0 % 16 == 0 ? "w\($0)\n" : "w\($0) " }), .normal)
        case .toolCall:
            if let quoted = toolQuote(request) { return .reply(quoted, .normal) }
            return .reply(SimReply(content: [], toolCalls: [.weather], finishReason: "tool_calls"), .normal)
        case .parallelTools:
            if let quoted = toolQuote(request) { return .reply(quoted, .normal) }
            return .reply(SimReply(content: ["I'll check both."], toolCalls: [.weather, .time], finishReason: "tool_calls"), .normal)
        case .multiStep:
            return .reply(multiStep(request), .normal)
        case .diverge(let what):
            let streamed = request.stream
            switch what {
            case "tools":
                let city = streamed ? "Paris" : "Lyon"
                let call = SimToolCall(id: "call_diverge", name: "get_weather", arguments: "{\"city\": \"\(city)\"}")
                return .reply(SimReply(content: [], toolCalls: [call], finishReason: "tool_calls"), .normal)
            case "usage":
                // Same text, but the non-stream body reports one more prompt token.
                var r = SimReply(content: wordChunks("The same answer in both modes."))
                if !streamed { r.extraPromptTokens = 1 }
                return .reply(r, .normal)
            default:
                return .reply(SimReply(content: wordChunks(streamed ? "The quick brown fox jumps over the lazy dog." : "The quick red fox jumps over the sleepy dog.")), .normal)
            }
        case .firstTool:
            if let quoted = toolQuote(request) { return .reply(quoted, .normal) }
            guard let f = request.functions.first else { return .reply(SimReply(content: wordChunks("No tools were offered.")), .normal) }
            let args = f.required.map { name, type -> String in
                let v: String
                switch type {
                case "number", "integer": v = "2"
                case "boolean": v = "true"
                default: v = "\"Paris\""
                }
                return "\"\(name)\": \(v)"
            }.joined(separator: ", ")
            let call = SimToolCall(id: "call_first_tool", name: f.name, arguments: "{" + args + "}")
            return .reply(SimReply(content: [], toolCalls: [call], finishReason: "tool_calls"), .normal)
        case .toolForever:
            let n = request.messages.filter { $0.role == "tool" }.count
            let call = SimToolCall(id: "call_forever_\(n)", name: "get_weather", arguments: "{\"city\": \"Paris\"}")
            return .reply(SimReply(content: [], toolCalls: [call], finishReason: "tool_calls"), .normal)
        case .badArgs:
            if let quoted = toolQuote(request) { return .reply(quoted, .normal) }
            let call = SimToolCall(id: "call_bad_args", name: "get_weather", arguments: "{\"town\": 42}")
            return .reply(SimReply(content: [], toolCalls: [call], finishReason: "tool_calls"), .normal)
        case .jsonMode:
            let pieces = ["{\"company\":", "\"ACME\",", "\"revenue\":", "1200000,", "\"currency\":", "\"USD\"}"]
            return .reply(SimReply(content: pieces), .normal)
        case .webSearch:
            let text = "According to the search results [ref_1], GLMSim answers offline. You asked: \(truncated(request.lastUserMessage))."
            let results = request.hidesSearchResults ? nil : searchResults
            return .reply(SimReply(content: wordChunks(text), webSearch: results), .normal)
        case .sensitive:
            let filter = SimJSON.array([.object([("role", .string("assistant")), ("level", .int(1))])])
            return .reply(SimReply(content: ["This", " answer", " is", " about"], finishReason: "sensitive", contentFilter: filter), .normal)
        case .error(let code):
            return errorOutcome(code: code, flat: false)
        case .errorFlat(let code):
            return errorOutcome(code: code, flat: true)
        case .flaky(let failures):
            guard attempt > failures else {
                return httpError(status: 429, code: "1305", message: "rate limited or model overloaded", headers: [SimHeader(name: "Retry-After", value: "0")])
            }
            return .reply(SimReply(content: wordChunks(greeting(request))), .normal)
        case .flaky500(let failures):
            guard attempt > failures else {
                return httpError(status: 500, code: "500", message: "internal server error")
            }
            return .reply(SimReply(content: wordChunks(greeting(request))), .normal)
        case .noRetry(let failures):
            guard attempt > failures else {
                return httpError(status: 429, code: "1302", message: "concurrency too high", headers: [SimHeader(name: "x-should-retry", value: "false")])
            }
            return .reply(SimReply(content: wordChunks(greeting(request))), .normal)
        case .busy:
            // Accepted: slow enough (10 chunks, 20 ms apart) that concurrent requests overlap.
            // The refusal above the limit is the router's: it needs the count in flight.
            return .reply(SimReply(content: Array(wordChunks(greeting(request)).prefix(10))), .slow(milliseconds: 20))
        case .slow(let ms):
            let chunks = ["Slow reply:"] + (1...39).map { " \($0)" }
            return .reply(SimReply(content: chunks), .slow(milliseconds: ms))
        case .stall(let n):
            // More chunks than are sent, so the reply is visibly unfinished.
            let chunks = (1...(n + 2)).map { $0 == 1 ? "Stalling" : " \($0)" }
            return .reply(SimReply(content: chunks), .stall(chunks: n))
        case .disconnect(let bytes):
            return .reply(SimReply(content: wordChunks(greeting(request))), .disconnect(afterBytes: bytes))
        case .malformed:
            return .reply(SimReply(content: wordChunks(greeting(request))), .malformed)
        case .eventError:
            return .reply(SimReply(content: wordChunks(greeting(request))), .eventError)
        case .inbandError:
            return .reply(SimReply(content: wordChunks(greeting(request))), .inbandError)
        case .networkError:
            return .reply(SimReply(content: wordChunks(greeting(request)), finishReason: "network_error"), .normal)
        case .length:
            return .reply(SimReply(content: wordChunks(greeting(request)), finishReason: "length"), .normal)
        case .noDone:
            return .reply(SimReply(content: wordChunks(greeting(request))), .noDone)
        case .noUsage:
            return .reply(SimReply(content: wordChunks(greeting(request)), includeUsage: false), .normal)
        case .crlf:
            return .reply(SimReply(content: wordChunks(greeting(request))), .crlf)
        case .thinking:
            return .reply(thinking(request), .normal)
        case .cached(let n):
            var reply = SimReply(content: wordChunks(greeting(request)))
            reply.cachedTokens = min(n, request.promptTokens)
            return .reply(reply, .normal)
        case .grounded:
            return SimGrounded.outcome(request)
        }
    }

    /// Shaped like recorded GLM-4.5/4.7 replies (zai-api.md §9): the reasoning opens with "\n",
    /// quotes the request (so a test can put any text into it), and the visible answer starts
    /// with "\n" as well.
    static func thinking(_ request: SimRequest) -> SimReply {
        let thought = "The user wrote: \(truncated(request.lastUserMessage)). I should answer briefly."
        let reasoning = ["\n"] + wordChunks(thought)
        var content = wordChunks(greeting(request))
        content[0] = "\n" + content[0]
        return SimReply(content: content, reasoning: reasoning)
    }

    // MARK: Text

    static func greeting(_ request: SimRequest) -> String {
        let n = request.messages.count
        return "Hello from GLMSim. You said: \(truncated(request.lastUserMessage)). This conversation has \(n) \(n == 1 ? "message" : "messages")."
    }

    static func truncated(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "(nothing)" }
        return text.count > 200 ? String(text.prefix(200)) : text
    }

    /// Word-sized pieces, each carrying its leading whitespace like real tokens ("Hello", " from").
    static func wordChunks(_ text: String) -> [String] {
        var chunks: [String] = []
        var current = ""
        var sawWord = false
        for ch in text {
            if ch.isWhitespace, sawWord {
                chunks.append(current)
                current = ""
                sawWord = false
            }
            current.append(ch)
            if !ch.isWhitespace { sawWord = true }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    static func cjkChunks(_ request: SimRequest) -> [String] {
        let n = request.messages.count
        let text = "你好！我是 GLMSim 模拟器。你说：\(truncated(request.lastUserMessage))。这段对话共有 \(n) 条消息。"
        var chunks: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if current.count == 3 {
                chunks.append(current)
                current = ""
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    // MARK: Tools

    /// A tool loop has to end: once results come back, answer with text that quotes them.
    static func toolQuote(_ request: SimRequest) -> SimReply? {
        let results = request.trailingToolResults
        guard !results.isEmpty else { return nil }
        return SimReply(content: wordChunks("The tool said: \(results.joined(separator: " | "))"))
    }

    static func multiStep(_ request: SimRequest) -> SimReply {
        guard request.messages.last?.role == "tool" else {
            return SimReply(content: [], toolCalls: [.weather], finishReason: "tool_calls")
        }
        let allResults = request.messages.filter { $0.role == "tool" }.map(\.content)
        if allResults.count >= 2 {
            return SimReply(content: wordChunks("Both tools answered: \(allResults.suffix(2).joined(separator: " | "))"))
        }
        if allResults.last?.localizedCaseInsensitiveContains("paris") == true {
            return SimReply(content: [], toolCalls: [.time], finishReason: "tool_calls")
        }
        return toolQuote(request) ?? SimReply(content: wordChunks(greeting(request)))
    }

    static let searchResults = SimJSON.array([
        searchItem(title: "GLMSim offline simulator", content: "GLMSim speaks the Z.AI chat-completions wire format on loopback.", link: "https://example.com/glmsim", refer: "ref_1"),
        searchItem(title: "Z.AI API reference", content: "Chat completions, streaming and tool calls.", link: "https://example.com/zai", refer: "ref_2"),
    ])

    private static func searchItem(title: String, content: String, link: String, refer: String) -> SimJSON {
        .object([
            ("title", .string(title)),
            ("content", .string(content)),
            ("link", .string(link)),
            ("media", .string("Example")),
            ("icon", .string("https://example.com/favicon.ico")),
            ("refer", .string(refer)),
            ("publish_date", .string("2025-04-14")),
        ])
    }

    // MARK: Errors

    static func errorOutcome(code: String, flat: Bool) -> SimOutcome {
        guard let entry = ZAIErrorCatalog.lookup(code) else {
            return httpError(status: 400, code: "1214", message: "GLMSim: unknown error code \(code) (see glmwb sim --list-scenarios)")
        }
        var headers: [SimHeader] = []
        if ["1302", "1303", "1305"].contains(entry.code) {
            headers.append(SimHeader(name: "Retry-After", value: "0"))
        }
        if flat {
            let codeValue: SimJSON = Int(entry.code).map { .int($0) } ?? .string(entry.code)
            return .httpError(status: entry.httpStatus, body: .object([("code", codeValue), ("message", .string(entry.meaning))]), headers: headers)
        }
        if entry.code == "1301" {
            let filter = SimJSON.array([.object([("level", .int(1)), ("role", .string("user"))])])
            return .httpError(status: entry.httpStatus, body: .object([("contentFilter", filter), ("error", errorObject(entry.code, entry.meaning))]), headers: headers)
        }
        return httpError(status: entry.httpStatus, code: entry.code, message: entry.meaning, headers: headers)
    }

    static func httpError(status: Int, code: String, message: String, headers: [SimHeader] = []) -> SimOutcome {
        .httpError(status: status, body: httpErrorBody(code: code, message: message), headers: headers)
    }

    /// `{"error":{"code":"…","message":"…"}}` — the code is a string, as the platform sends it.
    static func httpErrorBody(code: String, message: String) -> SimJSON {
        .object([("error", errorObject(code, message))])
    }

    static func errorObject(_ code: String, _ message: String) -> SimJSON {
        .object([("code", .string(code)), ("message", .string(message))])
    }
}
