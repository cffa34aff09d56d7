import Foundation

public enum RunMode: String, Sendable, Codable, Equatable, CaseIterable {
    case stream
    case nonStream = "non_stream"
}

/// How a run ended. `running` is only ever seen in the log: a run still in flight, or one whose
/// process died (the log re-marks those `interrupted` when it next opens).
public enum RunStatus: String, Sendable, Codable, Equatable {
    case running, ok, failed, cancelled, interrupted
}

/// Everything known when a run starts; the log's run row is written from it.
public struct RunStart: Sendable, Equatable {
    public var runId: String
    public var conversationId: String
    public var parentRunId: String?
    public var provider: String
    public var baseURL: String
    public var model: String
    public var mode: RunMode
    public var request: ChatRequest
    /// The request body exactly as sent (sorted keys, no secrets: the key is never in the body).
    public var requestJSON: String
    public var templateName: String?
    public var templateVariables: [String: String]?
    public var startedAt: Date
    public var promptEstimate: Int
    /// The price the run will be charged at, known before it starts: a run cut off before its
    /// usage arrives still names it.
    public var price: PriceEntry? = nil
    /// What glmwb changed in the request before sending, said once (a field the model does not
    /// take, dropped): the CLI prints it to stderr, the workbench in its status line.
    public var notes: [String] = []

    public init(
        runId: String, conversationId: String, parentRunId: String? = nil, provider: String, baseURL: String,
        model: String, mode: RunMode, request: ChatRequest, requestJSON: String, templateName: String? = nil,
        templateVariables: [String: String]? = nil, startedAt: Date, promptEstimate: Int, price: PriceEntry? = nil,
        notes: [String] = []
    ) {
        self.runId = runId
        self.conversationId = conversationId
        self.parentRunId = parentRunId
        self.provider = provider
        self.baseURL = baseURL
        self.model = model
        self.mode = mode
        self.request = request
        self.requestJSON = requestJSON
        self.templateName = templateName
        self.templateVariables = templateVariables
        self.startedAt = startedAt
        self.promptEstimate = promptEstimate
        self.price = price
        self.notes = notes
    }
}

/// Milliseconds from the moment the request was handed to the transport.
public struct RunTimings: Sendable, Codable, Equatable {
    public var headersMs: Double?
    public var firstByteMs: Double?
    public var firstTokenMs: Double?
    public var lastTokenMs: Double?
    public var totalMs: Double?
    public init() {}
}

/// Where a token count came from: what the server said, or our estimate.
public enum UsageSource: String, Sendable, Codable, Equatable {
    case reported, estimated
    /// The server never answered (no reply was generated), so nothing was billed: counts and
    /// cost are zero by definition, not by estimate.
    case notBilled = "not_billed"
}

/// A failure, classified. `summary` is the one line a user reads.
public struct RunError: Error, Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        /// The server answered with an error status or an in-band error.
        case api
        /// No connection, a timeout before the reply, a dropped connection before any token.
        case transport
        /// The stream broke after the first token; the partial text is kept.
        case interrupted
        /// `finish_reason: sensitive`: content safety cut the reply.
        case contentFilter = "content_filter"
        /// A payload that was not valid JSON, or a body that was not a completion.
        case malformed
        /// Rejected before sending (empty messages, parameter out of range).
        case invalidRequest = "invalid_request"
    }

    public var kind: Kind
    public var code: String?
    public var httpStatus: Int?
    public var message: String
    public var meaning: String?
    public var advice: String?
    public var retryable: Bool

    public init(kind: Kind, code: String? = nil, httpStatus: Int? = nil, message: String,
                meaning: String? = nil, advice: String? = nil, retryable: Bool = false) {
        self.kind = kind
        self.code = code
        self.httpStatus = httpStatus
        self.message = message
        self.meaning = meaning
        self.advice = advice
        self.retryable = retryable
    }

    /// Builds an API error from a business code, filling meaning and advice from the catalog.
    public static func api(code: String?, httpStatus: Int?, message: String?) -> RunError {
        let entry = ZAIErrorCatalog.lookup(code)
        let retry = ZAIErrorCatalog.advice(code: code, httpStatus: httpStatus ?? 0)
        return RunError(kind: .api, code: code, httpStatus: httpStatus,
                        message: message ?? entry?.meaning ?? "HTTP \(httpStatus ?? 0)",
                        meaning: entry?.meaning, advice: entry?.advice, retryable: retry != .no)
    }

    public var summary: String {
        var head: String
        switch kind {
        case .api:
            let c = code.map { "code \($0)" }
            let s = httpStatus.map { "HTTP \($0)" }
            head = "API error (" + [c, s].compactMap { $0 }.joined(separator: ", ") + ")"
            if let meaning { head += ": \(meaning)" }
            if message != meaning { head += " — \(message)" }
        case .transport: head = "connection failed: \(message)"
        case .interrupted: head = "stream interrupted: \(message)"
        case .contentFilter: head = "content filter: \(message)"
        case .malformed: head = "malformed response: \(message)"
        case .invalidRequest: head = "invalid request: \(message)"
        }
        if let advice { head += ". \(advice)" }
        return head
    }
}

/// The outcome of one run: the assembled message, accounting and timings.
public struct RunResult: Sendable, Equatable {
    public var runId: String
    public var conversationId: String
    public var mode: RunMode
    public var status: RunStatus
    public var content: String
    public var toolCalls: [ToolCall]
    public var finishReason: String?
    public var usage: Usage
    public var usageSource: UsageSource
    public var cost: Cost
    public var timings: RunTimings
    public var chunkCount: Int
    public var webSearch: [WebSearchResult]
    public var contentFilter: [ContentFilter]
    public var error: RunError?
    public var retries: [RetryAttempt]
    public var httpStatus: Int?
    /// What was odd about the exchange but did not fail it (an invalid usage replaced by the
    /// estimate, empty `data:` lines ignored): said in the record, never silently absorbed.
    public var anomalies: [String] = []
    /// What a thinking model reasoned before answering (`reasoning_content`), "" when it sent
    /// none; never part of `content`, so history and the answer stay the answer alone.
    public var reasoning: String = ""
    /// The server's id for this completion (`id`; Z.AI's task id, which is also its `request_id`
    /// when the request sent none): what a support ticket asks for. Nil when none arrived.
    public var responseId: String?
}

/// What a run reports while it happens. Events arrive in batches (one per network read) so a
/// full-speed stream costs one hop to the consumer per read, not per token.
///
/// The cases that carry a whole request or result are `indirect` (boxed): an enum is as large as
/// its largest case, and with `RunStart` and `RunResult` inline every event — 100,000 payloads in
/// a long reply — was several hundred bytes, copied whole each time a batch was built, logged
/// and read (issue 15: a seventh of a full-speed stream's CPU was those copies).
public enum RunEvent: Sendable, Equatable {
    indirect case started(RunStart)
    /// A step of a tool loop ended with calls; these are their outcomes, in call order.
    case toolOutcomes(runId: String, [ToolOutcome])
    /// The tool loop is over (emitted only when a loop ran).
    indirect case loopEnded(ToolLoopEnd)
    /// Response headers arrived.
    case headers(status: Int, ms: Double)
    case firstByte(ms: Double)
    /// A raw SSE `data:` payload (or a whole non-stream body) and its offset from the start.
    case payload(seq: Int, offsetMicros: Int64, data: RawPayload)
    case delta(String)
    /// Reasoning (`reasoning_content`) of a thinking model, as it arrives: kept apart from the
    /// answer's `delta`s so a front end can show it as thinking, and never mistakes it for reply.
    case reasoning(String)
    indirect case toolCall(PartialToolCall)
    /// The run's count so far (chunks, token times, the completion estimate), sent after every
    /// read that changed it: live figures are this snapshot, final ones its last value.
    indirect case tally(RunTally)
    case webSearch([WebSearchResult])
    /// Usage as reported by the server (final chunk, or the body).
    indirect case usage(Usage)
    indirect case finished(RunResult)
    indirect case failed(RunResult)
    indirect case cancelled(RunResult)

    /// A raw payload, a count or a timing: the log's and the figures', never text a reader sees.
    /// A consumer that skips these by asking here reads each event in place; matching it out of
    /// the array copied every one of a full-speed read's hundreds (issue 15).
    public var isRecordOnly: Bool {
        switch self {
        case .payload, .tally, .headers, .firstByte: return true
        default: return false
        }
    }

    /// Whether this event ends the run (it carries the result).
    public var isTerminal: Bool {
        switch self {
        case .finished, .failed, .cancelled: return true
        default: return false
        }
    }

    /// The result carried by a terminal event.
    public var result: RunResult? {
        switch self {
        case .finished(let r), .failed(let r), .cancelled(let r): return r
        default: return nil
        }
    }
}
