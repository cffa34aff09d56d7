import Foundation
import GRDB

/// One run as stored in the log: the request exactly as sent, the assembled reply, accounting,
/// timings and the error. Raw stream payloads live beside it in `run_events`.
public struct RunRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "runs"

    public var id: String
    public var conversationId: String
    public var parentRunId: String?
    public var templateName: String?
    public var templateVars: String?
    public var provider: String
    public var baseUrl: String
    public var model: String
    public var mode: RunMode
    public var requestJson: String
    /// The last user message and the system prompt, kept apart for full-text search and listings.
    public var prompt: String
    public var system: String?
    public var status: RunStatus
    public var content: String
    public var toolCalls: String?
    public var finishReason: String?
    public var promptTokens: Int?
    public var completionTokens: Int?
    public var totalTokens: Int?
    public var cachedTokens: Int?
    public var usageSource: UsageSource?
    /// Dollars as exact decimal text; nil when the price is unknown.
    public var costUsd: String?
    public var wouldCostUsd: String?
    public var priceJson: String?
    public var webSearchJson: String?
    public var contentFilterJson: String?
    public var startedAt: Date
    public var headersMs: Double?
    public var firstByteMs: Double?
    public var firstTokenMs: Double?
    public var lastTokenMs: Double?
    public var totalMs: Double?
    public var chunkCount: Int
    public var httpStatus: Int?
    public var errorKind: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var errorMeaning: String?
    public var errorAdvice: String?
    public var errorRetryable: Bool?
    public var retriesJson: String?
    public var pid: Int32
    public var promptEstimate: Int
    /// Raw payloads stored, and their bytes; kept by the event writes, not by `finish`. Nil
    /// only in a log written before they existed and opened read-only (not migrated).
    public var eventCount: Int?
    public var eventBytes: Int?
    /// Payloads counted but not stored because the run passed its event budget.
    public var eventsDropped: Int?
    public var eventBytesDropped: Int?
    /// The budget (bytes) in force when payloads were dropped.
    public var eventBudget: Int?
    /// `RunResult.anomalies` as a JSON list; nil when there were none.
    public var anomaliesJson: String?
    /// The provider's extra headers (`ExtraHeader`, credential values left out) as a JSON list.
    public var extraHeadersJson: String?
    /// A thinking model's `reasoning_content`, apart from `content`; nil when it sent none (and
    /// in a log written before the column existed, opened read-only).
    public var reasoning: String?
    /// `usage.completion_tokens_details.reasoning_tokens`, when the server reported it.
    public var reasoningTokens: Int?
    /// The server's id for the completion (`RunResult.responseId`); nil before migration v9.
    public var responseId: String?

    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    /// GRDB's own text for a date, made without ICU (`LogDate`).
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        .custom { LogDate.text($0) }
    }

    /// The row written when a run starts: status `running` until it ends.
    public init(start: RunStart) {
        id = start.runId
        conversationId = start.conversationId
        parentRunId = start.parentRunId
        templateName = start.templateName
        templateVars = start.templateVariables.map { WireJSON.string($0) }
        provider = start.provider
        baseUrl = start.baseURL
        model = start.model
        mode = start.mode
        requestJson = start.requestJSON
        prompt = start.request.messages.last(where: { $0.role == .user })?.content ?? ""
        system = start.request.messages.first(where: { $0.role == .system })?.content
        status = .running
        content = ""
        startedAt = start.startedAt
        chunkCount = 0
        pid = ProcessInfo.processInfo.processIdentifier
        promptEstimate = start.promptEstimate
        // Known before the run: a run cut off before its usage arrived still names its price.
        priceJson = start.price.map { WireJSON.string($0) }
        eventCount = 0
        eventBytes = 0
        eventsDropped = 0
        eventBytesDropped = 0
    }

    public mutating func apply(_ r: RunResult) {
        status = r.status
        content = r.content
        toolCalls = r.toolCalls.isEmpty ? nil : WireJSON.string(r.toolCalls)
        finishReason = r.finishReason
        promptTokens = r.usage.promptTokens
        completionTokens = r.usage.completionTokens
        totalTokens = r.usage.totalTokens
        cachedTokens = r.usage.cachedTokens
        usageSource = r.usageSource
        costUsd = r.cost.usd.map { "\($0)" }
        wouldCostUsd = r.cost.wouldCostUSD.map { "\($0)" }
        priceJson = r.cost.price.map { WireJSON.string($0) }
        webSearchJson = r.webSearch.isEmpty ? nil : WireJSON.string(r.webSearch)
        contentFilterJson = r.contentFilter.isEmpty ? nil : WireJSON.string(r.contentFilter)
        headersMs = r.timings.headersMs
        firstByteMs = r.timings.firstByteMs
        firstTokenMs = r.timings.firstTokenMs
        lastTokenMs = r.timings.lastTokenMs
        totalMs = r.timings.totalMs
        chunkCount = r.chunkCount
        httpStatus = r.httpStatus
        errorKind = r.error?.kind.rawValue
        errorCode = r.error?.code
        errorMessage = r.error?.message
        errorMeaning = r.error?.meaning
        errorAdvice = r.error?.advice
        errorRetryable = r.error?.retryable
        retriesJson = r.retries.isEmpty ? nil : WireJSON.string(r.retries)
        anomaliesJson = r.anomalies.isEmpty ? nil : WireJSON.string(r.anomalies)
        reasoning = r.reasoning.isEmpty ? nil : r.reasoning
        reasoningTokens = r.usage.reasoningTokens
        responseId = r.responseId
    }

    /// The failed attempts that were retried before the one that counted.
    public var retries: [RetryAttempt] {
        retriesJson.flatMap { try? JSONDecoder().decode([RetryAttempt].self, from: Data($0.utf8)) } ?? []
    }

    public var anomalies: [String] {
        anomaliesJson.flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
    }

    public var decodedToolCalls: [ToolCall] {
        guard let toolCalls else { return [] }
        return (try? JSONDecoder().decode([ToolCall].self, from: Data(toolCalls.utf8))) ?? []
    }

    public var price: PriceEntry? {
        priceJson.flatMap { try? JSONDecoder().decode(PriceEntry.self, from: Data($0.utf8)) }
    }

    public var error: RunError? {
        guard let errorKind, let kind = RunError.Kind(rawValue: errorKind) else { return nil }
        return RunError(kind: kind, code: errorCode, httpStatus: httpStatus, message: errorMessage ?? "",
                        meaning: errorMeaning, advice: errorAdvice, retryable: errorRetryable ?? false)
    }

    /// Time to first token, as shown everywhere.
    public var ttftMs: Double? { firstTokenMs }

    /// The run as a `RunResult` again, for front ends that reopen a logged conversation.
    public var result: RunResult {
        var r = storedResult
        r.reasoning = reasoning ?? ""
        r.usage.reasoningTokens = reasoningTokens
        r.responseId = responseId
        return r
    }

    /// Everything but the reasoning, which thinking models added later (migration v8).
    private var storedResult: RunResult {
        var t = RunTimings()
        t.headersMs = headersMs
        t.firstByteMs = firstByteMs
        t.firstTokenMs = firstTokenMs
        t.lastTokenMs = lastTokenMs
        t.totalMs = totalMs
        let basis = usageSource ?? .estimated
        let webSearch = webSearchJson.flatMap { try? JSONDecoder().decode([WebSearchResult].self, from: Data($0.utf8)) } ?? []
        // The searches by the same rule the run was priced by (`WebSearchCount`). The request holds
        // the whole history, so it is decoded only when it names web search at all.
        let searches =
            requestJson.contains("\"web_search\"")
            && (try? JSONDecoder().decode(ChatRequest.self, from: Data(requestJson.utf8)))?.searchesTheWeb == true
        let searched = WebSearchCount.performed(
            searchesTheWeb: searches, resultsReturned: !webSearch.isEmpty, answered: basis != .notBilled)
        var cost = Cost(
            usd: costUsd.flatMap { Decimal(string: $0) }, wouldCostUSD: wouldCostUsd.flatMap { Decimal(string: $0) },
            price: price, basis: basis, webSearchUses: searched.0)
        cost.webSearchCountedFromRequest = searched.0 > 0 && searched.1 == .estimated
        return RunResult(runId: id, conversationId: conversationId, mode: mode, status: status, content: content,
                         toolCalls: decodedToolCalls, finishReason: finishReason,
                         usage: Usage(promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0, totalTokens: totalTokens, cachedTokens: cachedTokens),
                         usageSource: basis, cost: cost, timings: t, chunkCount: chunkCount, webSearch: webSearch,
                         contentFilter: contentFilterJson.flatMap { try? JSONDecoder().decode([ContentFilter].self, from: Data($0.utf8)) } ?? [],
                         error: error, retries: retries,
                         httpStatus: httpStatus, anomalies: anomalies)
    }

    /// The request as sent, decoded again.
    public var request: ChatRequest? {
        try? JSONDecoder().decode(ChatRequest.self, from: Data(requestJson.utf8))
    }
}

/// One raw stream payload with its offset from the start of the request.
public struct StoredEvent: Codable, Sendable, Equatable, FetchableRecord {
    public var runId: String
    public var seq: Int
    public var offsetUs: Int64
    public var data: String
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
}
