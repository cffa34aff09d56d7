import Foundation

/// Whether a failure is worth sending again, and how patiently.
public enum RetryAdvice: String, Sendable, Codable, Equatable {
    case no
    case backoff
    /// Account-side throttles (1120, 1305): retry, but wait longer between attempts.
    case slowBackoff = "slow_backoff"
    /// Transient processing errors (1230): one more try at most.
    case once
}

/// One row of the business-code table in zai-api.md §5.
public struct ZAIErrorCode: Sendable, Equatable {
    public let code: String
    /// The HTTP status the platform answers with (what GLMSim sends back for this code).
    public let httpStatus: Int
    public let meaning: String
    /// What the user should do about it, in one sentence.
    /// What to do about it. It never says whether the request was retried: the run's error
    /// adds what actually happened (`RetryPolicy.account`).
    public let advice: String
    public let retry: RetryAdvice

    public var retryable: Bool { retry != .no }
}

/// The documented Z.AI business codes as data. Retry decisions are taken on the business code
/// first and the HTTP status second, because Z.AI uses 429 both for rate limits (retry) and for an
/// empty balance (1113: never retry).
public enum ZAIErrorCatalog {
    public static let all: [ZAIErrorCode] = [
        .init(code: "500", httpStatus: 500, meaning: "internal server error", advice: "If it persists, try again later.", retry: .backoff),
        .init(code: "1000", httpStatus: 401, meaning: "authentication failed", advice: "Check the API key (ZAI_API_KEY) and that it belongs to this region.", retry: .no),
        .init(code: "1001", httpStatus: 401, meaning: "no Authorization header", advice: "Set ZAI_API_KEY (or ZHIPUAI_API_KEY) or api_key_command in the config.", retry: .no),
        .init(code: "1002", httpStatus: 401, meaning: "invalid API key", advice: "Check the key; z.ai keys do not work on open.bigmodel.cn and vice versa (--region).", retry: .no),
        .init(code: "1003", httpStatus: 401, meaning: "token expired", advice: "Create a new API key.", retry: .no),
        .init(code: "1004", httpStatus: 401, meaning: "token verification failed", advice: "Check the key for typos or stray whitespace.", retry: .no),
        .init(code: "1100", httpStatus: 401, meaning: "account read/write error", advice: "Contact Z.AI support.", retry: .no),
        .init(code: "1110", httpStatus: 401, meaning: "account inactive", advice: "Activate the account in the Z.AI console.", retry: .no),
        .init(code: "1111", httpStatus: 401, meaning: "account does not exist", advice: "Check the key belongs to an existing account.", retry: .no),
        .init(code: "1112", httpStatus: 401, meaning: "account locked", advice: "Contact Z.AI support.", retry: .no),
        .init(code: "1113", httpStatus: 429, meaning: "insufficient balance or no resource package", advice: "Top up the account (not a rate limit), or check the key fits the endpoint: "
                + "a Coding Plan key belongs on api/coding/paas/v4, a z.ai key not on open.bigmodel.cn (intl vs cn).",
            retry: .no),
        .init(code: "1120", httpStatus: 401, meaning: "account temporarily inaccessible", advice: "Try again later.", retry: .slowBackoff),
        .init(code: "1121", httpStatus: 401, meaning: "account locked for irregular activity", advice: "Contact Z.AI support.", retry: .no),
        .init(code: "1200", httpStatus: 400, meaning: "API call error", advice: "Check the request in the log pane.", retry: .no),
        .init(code: "1210", httpStatus: 400, meaning: "invalid parameters", advice: "Check the parameter values (temperature 0–1, top_p 0.01–1, "
                + "max_tokens ≤ the model's maximum output, tool_choice only with tools).", retry: .no),
        .init(code: "1211", httpStatus: 400, meaning: "model does not exist", advice: "Check the model id (glm-4-32b-0414-128k).", retry: .no),
        .init(code: "1212", httpStatus: 400, meaning: "model does not support this call method", advice: "Use another model or turn off the unsupported option.", retry: .no),
        .init(code: "1213", httpStatus: 400, meaning: "required field missing", advice: "Add the missing field named in the message.", retry: .no),
        .init(code: "1214", httpStatus: 400, meaning: "invalid field value", advice: "Fix the field named in the message (often messages).", retry: .no),
        .init(code: "1215", httpStatus: 400, meaning: "two fields cannot be set together", advice: "Remove one of the conflicting fields.", retry: .no),
        .init(code: "1220", httpStatus: 434, meaning: "no permission for this API", advice: "Request access in the Z.AI console.", retry: .no),
        .init(code: "1221", httpStatus: 400, meaning: "API taken offline", advice: "Use another model or endpoint.", retry: .no),
        .init(code: "1222", httpStatus: 404, meaning: "API does not exist", advice: "Check the base URL and path.", retry: .no),
        .init(code: "1230", httpStatus: 500, meaning: "API call process error", advice: "Try again later.", retry: .once),
        .init(code: "1231", httpStatus: 400, meaning: "duplicate request id", advice: "Send with a new request_id.", retry: .no),
        .init(code: "1234", httpStatus: 500, meaning: "network error", advice: "Contact support if it persists.", retry: .backoff),
        .init(code: "1261", httpStatus: 400, meaning: "prompt too long", advice: "Trim the conversation or the prompt, start a new conversation, "
                + "or use a model with a larger context window (the meter's ctx figure shows how full it is).",
            retry: .no),
        .init(code: "1300", httpStatus: 400, meaning: "blocked by policy", advice: "Change the request.", retry: .no),
        .init(code: "1301", httpStatus: 400, meaning: "unsafe or sensitive content", advice: "Rephrase the prompt; content safety rejected it.", retry: .no),
        .init(code: "1302", httpStatus: 429, meaning: "concurrency too high", advice: "Send fewer requests at once.", retry: .backoff),
        .init(code: "1303", httpStatus: 429, meaning: "request frequency too high", advice: "Slow down.", retry: .backoff),
        .init(code: "1304", httpStatus: 429, meaning: "daily call quota reached", advice: "Wait until tomorrow or raise the quota.", retry: .no),
        .init(code: "1305", httpStatus: 429, meaning: "rate limited or model overloaded", advice: "Try later.", retry: .slowBackoff),
        .init(code: "1308", httpStatus: 429, meaning: "usage cap reached", advice: "Wait until the cap resets (see the message).", retry: .no),
        .init(code: "1309", httpStatus: 429, meaning: "GLM Coding Plan expired", advice: "Renew the plan or use a pay-as-you-go key.", retry: .no),
        .init(code: "1310", httpStatus: 429, meaning: "weekly or monthly cap reached", advice: "Wait until the cap resets.", retry: .no),
        .init(code: "1311", httpStatus: 429, meaning: "plan has no access to this model", advice: "Use a key whose plan includes glm-4-32b-0414-128k.", retry: .no),
        .init(code: "1312", httpStatus: 429, meaning: "model under heavy load", advice: "Try later or another model.", retry: .backoff),
        .init(code: "1313", httpStatus: 429, meaning: "fair-use throttle", advice: "Wait before sending more.", retry: .no),
    ]

    private static let byCode: [String: ZAIErrorCode] = Dictionary(uniqueKeysWithValues: all.map { ($0.code, $0) })

    public static func lookup(_ code: String?) -> ZAIErrorCode? {
        guard let code else { return nil }
        return byCode[code.trimmingCharacters(in: .whitespaces)]
    }

    /// Retry advice for an HTTP failure: the business code decides when it is known; otherwise
    /// 408, 409, 429 and 5xx are retried, everything else is not.
    public static func advice(code: String?, httpStatus: Int) -> RetryAdvice {
        if let entry = lookup(code) { return entry.retry }
        switch httpStatus {
        case 408, 409, 429: return .backoff
        case 500...599: return .backoff
        default: return .no
        }
    }
}
