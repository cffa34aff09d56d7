import Foundation

/// A scenario key such as `text`, `slow:50` or `error:1113`, parsed.
///
/// Keys come from the `X-GLMSim-Scenario` header or a `sim/NAME` model so that one server can
/// serve a whole test suite; the raw key (not the parsed value) is what request counts are kept
/// under, so `flaky:2` and `flaky:3` fail independently.
enum SimScenario: Equatable, Sendable {
    case text
    case cjk
    case long(chunks: Int)
    case toolCall
    case parallelTools
    case multiStep
    case toolForever
    /// Calls the first function tool the request offers, with its required arguments filled in.
    case firstTool
    /// The two modes answer differently: for testing comparisons.
    case diverge(what: String)
    case badArgs
    case jsonMode
    case webSearch
    case sensitive
    case error(code: String)
    case errorFlat(code: String)
    case flaky(failures: Int)
    case flaky500(failures: Int)
    case noRetry(failures: Int)
    /// At most `limit` requests of this key in flight; one more is refused with 429 code 1302.
    case busy(limit: Int)
    case slow(milliseconds: Int)
    case stall(chunks: Int)
    case disconnect(afterBytes: Int)
    case malformed
    case eventError
    case inbandError
    case networkError
    case length
    case noDone
    case noUsage
    case crlf
    /// A thinking model (GLM-4.5 and later): `reasoning_content` first, then the answer.
    case thinking
    /// The text reply with `prompt_tokens_details.cached_tokens: N` in its usage (at most the
    /// prompt tokens), as a context-cache hit reports it.
    case cached(tokens: Int)
    /// Answers by reading the request (passages, JSON shape, tools, code, retrieval): `SimGrounded`.
    case grounded

    /// Upper bound for `long:N`: the whole reply is built in memory before it is sent.
    static let maxLongChunks = 200_000

    init?(key: String) {
        let trimmed = key.trimmingCharacters(in: .whitespaces)
        let name: Substring
        let arg: String?
        if let colon = trimmed.firstIndex(of: ":") {
            name = trimmed[..<colon]
            arg = String(trimmed[trimmed.index(after: colon)...])
        } else {
            name = Substring(trimmed)
            arg = nil
        }
        /// A missing argument takes the default; a present but non-numeric one is a typo worth
        /// reporting rather than silently running a different scenario.
        func int(_ def: Int, min lo: Int = 0, max hi: Int = Int.max) -> Int? {
            guard let arg, !arg.isEmpty else { return def }
            guard let n = Int(arg), n >= lo else { return nil }
            return Swift.min(n, hi)
        }
        switch name.lowercased() {
        case "text": self = .text
        case "cjk": self = .cjk
        case "long": guard let n = int(2000, min: 1, max: SimScenario.maxLongChunks) else { return nil }; self = .long(chunks: n)
        case "tool_call": self = .toolCall
        case "parallel_tools": self = .parallelTools
        case "multi_step": self = .multiStep
        case "tool_forever": self = .toolForever
        case "first_tool": self = .firstTool
        case "diverge":
            let what = arg ?? "text"
            guard ["text", "tools", "usage"].contains(what) else { return nil }
            self = .diverge(what: what)
        case "bad_args": self = .badArgs
        case "json_mode": self = .jsonMode
        case "web_search": self = .webSearch
        case "sensitive": self = .sensitive
        case "error":
            guard let arg, !arg.isEmpty else { return nil }
            self = .error(code: arg)
        case "error_flat":
            guard let arg, !arg.isEmpty else { return nil }
            self = .errorFlat(code: arg)
        case "flaky": guard let n = int(1) else { return nil }; self = .flaky(failures: n)
        case "flaky500": guard let n = int(1) else { return nil }; self = .flaky500(failures: n)
        case "no_retry": guard let n = int(1) else { return nil }; self = .noRetry(failures: n)
        case "busy": guard let n = int(4, min: 1) else { return nil }; self = .busy(limit: n)
        case "slow": guard let n = int(100, max: 60_000) else { return nil }; self = .slow(milliseconds: n)
        case "stall": guard let n = int(3) else { return nil }; self = .stall(chunks: n)
        case "disconnect": guard let n = int(200) else { return nil }; self = .disconnect(afterBytes: n)
        case "malformed": self = .malformed
        case "event_error": self = .eventError
        case "inband_error": self = .inbandError
        case "network_error": self = .networkError
        case "length": self = .length
        case "no_done": self = .noDone
        case "no_usage": self = .noUsage
        case "crlf": self = .crlf
        case "thinking": self = .thinking
        case "cached": guard let n = int(1, min: 1) else { return nil }; self = .cached(tokens: n)
        case "grounded": self = .grounded
        default: return nil
        }
    }
}

/// One line of `glmwb sim --list-scenarios`.
public struct GLMScenarioInfo: Sendable {
    public let name: String
    public let summary: String

    public init(name: String, summary: String) {
        self.name = name
        self.summary = summary
    }
}

/// The scenario catalogue as users see it; kept next to the parser so a new scenario is
/// documented where it is added.
public enum GLMScenarios {
    public static var all: [GLMScenarioInfo] {
        [
            .init(name: "text", summary: "Default. Echoes the last user message and the message count, in word-sized chunks."),
            .init(name: "cjk", summary: "Chinese reply; the SSE bytes split a multi-byte UTF-8 character across two TCP writes."),
            .init(name: "long:N", summary: "A reply of N content chunks (default 2000)."),
            .init(name: "tool_call", summary: "One get_weather call {\"city\": \"Paris\"}; answers a trailing tool message with text quoting it."),
            .init(name: "parallel_tools", summary: "Text \"I'll check both.\" then get_weather and get_time calls (index 0 and 1)."),
            .init(name: "multi_step", summary: "get_weather, then get_time once a Paris result is back, then text after two tool results."),
            .init(name: "diverge:WHAT", summary: "Stream and non-stream answers differ: WHAT is text (the default), tools (call arguments) or usage (for compare)."),
            .init(name: "first_tool", summary: "Calls the first function tool offered, required arguments filled (numbers 2, strings \"Paris\"); quotes a tool result."),
            .init(name: "tool_forever", summary: "Always answers with another get_weather call (a new id each step): for step limits."),
            .init(name: "bad_args", summary: "One get_weather call with arguments that break its schema {\"town\": 42}; quotes a tool result."),
            .init(name: "json_mode", summary: "A JSON object streamed in several pieces."),
            .init(name: "web_search", summary: "Top-level web_search results on the first chunk, then text citing ref_1."),
            .init(name: "sensitive", summary: "Some text, then finish_reason \"sensitive\" with a top-level content_filter."),
            .init(name: "error:CODE", summary: "The documented HTTP status and body for a Z.AI business code (e.g. error:1113 is 429)."),
            .init(name: "error_flat:CODE", summary: "Like error:CODE but with the flat body {\"code\":CODE,\"message\":...}."),
            .init(name: "flaky:N", summary: "First N requests answer 429 code 1305 with Retry-After: 0, then normal text."),
            .init(name: "flaky500:N", summary: "First N requests answer 500 code 500, then normal text."),
            .init(name: "no_retry:N", summary: "First N requests answer 429 code 1302 with x-should-retry: false, then normal text."),
            .init(
                name: "busy:N",
                summary: "Above N requests in flight (default 4) answers 429 code 1302; accepted replies take ~0.2 s."),
            .init(name: "slow:MS", summary: "40 text chunks, one every MS milliseconds (default 100)."),
            .init(name: "stall:N", summary: "N text chunks (default 3), then silence with the connection held open."),
            .init(name: "disconnect:N", summary: "A normal reply cut off by closing the connection after N body bytes (default 200)."),
            .init(name: "malformed", summary: "One chunk in the middle is invalid JSON; the rest is valid and ends with [DONE]."),
            .init(name: "event_error", summary: "A few chunks, then an `event: error` SSE event (code 1234), then close."),
            .init(name: "inband_error", summary: "A few chunks, then data: {\"error\":{\"code\":\"500\",...}}, then close."),
            .init(name: "network_error", summary: "Text, then finish_reason \"network_error\"."),
            .init(name: "length", summary: "Text, then finish_reason \"length\"."),
            .init(name: "no_done", summary: "A normal reply whose stream ends at EOF without data: [DONE]."),
            .init(name: "no_usage", summary: "A normal reply without usage on the final chunk or in the body."),
            .init(name: "crlf", summary: "Like text, but SSE with CRLF line endings, id: lines and a : keep-alive comment."),
            .init(
                name: "thinking",
                summary: "A thinking model: reasoning_content quoting your message, then the reply;"
                    + " reasoning_tokens in usage."),
            .init(
                name: "cached:N",
                summary: "Like text, with prompt_tokens_details.cached_tokens N (at most the prompt) in usage."),
            .init(
                name: "grounded",
                summary: "Answers by reading the request: cited answers from [n] passages or the retrieval tool's"
                    + " knowledge base (glmsim-x200), JSON of the asked shape, tool calls with arguments from"
                    + " the text, runnable code; else like text. The default of `glmwb eval --provider sim`."),
        ]
    }
}
