import Foundation

/// The one JSON shape of a run, printed by `glmwb run --json`, `glmwb logs show --json` and each
/// line of the JSONL export, so scripts written against one work on all three.
public enum RunRecordJSON {
    public static func object(_ r: RunRecord) -> JSONValue {
        func num(_ d: Double?) -> JSONValue { d.map { .number(($0 * 10).rounded() / 10) } ?? .null }
        func int(_ i: Int?) -> JSONValue { i.map { .number(Double($0)) } ?? .null }
        func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
        func money(_ s: String?) -> JSONValue { s.flatMap { Double($0) }.map { .number($0) } ?? .null }
        // reasoning_tokens are part of completion_tokens; only thinking models report them.
        let usage: [String: JSONValue] = [
            "prompt_tokens": int(r.promptTokens),
            "completion_tokens": int(r.completionTokens),
            "total_tokens": int(r.totalTokens),
            "cached_tokens": int(r.cachedTokens),
            "reasoning_tokens": int(r.reasoningTokens),
            "source": str(r.usageSource?.rawValue),
        ]
        let calls: [JSONValue] = r.decodedToolCalls.map {
            .object(["id": .string($0.id), "type": .string($0.type), "name": .string($0.function.name), "arguments": .string($0.function.arguments)])
        }
        var error: JSONValue = .null
        if let e = r.error {
            error = .object(["kind": .string(e.kind.rawValue), "code": str(e.code), "http_status": int(e.httpStatus),
                             "message": .string(e.message), "meaning": str(e.meaning), "advice": str(e.advice),
                             "retryable": .bool(e.retryable), "summary": .string(e.summary)])
        }
        var price: JSONValue = .null
        if let p = r.price {
            price = .object(["model": .string(p.model), "input_per_million": .number(NSDecimalNumber(decimal: p.inputPerMillion).doubleValue),
                             "output_per_million": .number(NSDecimalNumber(decimal: p.outputPerMillion).doubleValue),
                             "cached_input_per_million":
                                p.cachedInputPerMillion.map { .number(NSDecimalNumber(decimal: $0).doubleValue) } ?? .null,
                             "as_of": .string(p.asOf), "source": .string(p.source)])
        }
        let figures = RunFigures(record: r)
        let webSearch = r.webSearchJson.flatMap { JSONValue.parse($0) } ?? .array([])
        return .object([
            "run_id": .string(r.id),
            "conversation_id": .string(r.conversationId),
            "parent_run_id": str(r.parentRunId),
            "status": .string(r.status.rawValue),
            "provider": .string(r.provider),
            "base_url": .string(r.baseUrl),
            "model": .string(r.model),
            "mode": .string(r.mode.rawValue),
            "template": str(r.templateName),
            "template_variables": r.templateVars.flatMap { JSONValue.parse($0) } ?? .null,
            "started_at": .string(LogDate.iso8601(r.startedAt)),
            "request": JSONValue.parse(r.requestJson) ?? .string(r.requestJson),
            "content": .string(r.content),
            // A thinking model's reasoning, never mixed into `content`; null when there was none.
            "reasoning": str(r.reasoning),
            // The server's id for the completion (Z.AI's task id): what support asks for.
            "response_id": str(r.responseId),
            "tool_calls": .array(calls),
            "finish_reason": str(r.finishReason),
            "usage": .object(usage),
            "cost_usd": money(r.costUsd),
            "would_cost_usd": money(r.wouldCostUsd),
            "price": price,
            "web_search": webSearch,
            // TTFT and tokens/s as `RunFigures` defines them (null when unknown, as for any
            // non-stream run); the raw token offsets stay beside them.
            "timings": .object(["headers_ms": num(r.headersMs), "first_byte_ms": num(r.firstByteMs), "ttft_ms": num(figures.ttftMs.value),
                                "first_token_ms": num(r.firstTokenMs), "last_token_ms": num(r.lastTokenMs), "total_ms": num(r.totalMs)]),
            "tokens_per_second": num(figures.tokensPerSecond.value),
            "chunks": .number(Double(r.chunkCount)),
            "http_status": int(r.httpStatus),
            "retries": r.retriesJson.flatMap { JSONValue.parse($0) } ?? .array([]),
            "anomalies": .array(r.anomalies.map(JSONValue.string)),
            "error": error,
            "event_count": int(r.eventCount),
            "event_bytes": int(r.eventBytes),
            "events_not_stored": EventTally(r).droppedNote.map { _ in
                .object(["events": int(r.eventsDropped), "bytes": int(r.eventBytesDropped), "budget_bytes": int(r.eventBudget),
                         "note": str(EventTally(r).droppedNote)])
            } ?? .null,
        ])
    }
}
