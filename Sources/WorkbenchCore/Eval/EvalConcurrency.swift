import Foundation

/// The adaptive concurrency limit of an evaluation: a rate-limit answer (1302, 1303, 429)
/// halves it, down to 1, because the server said we are sending too much; a run of successes
/// adds one back, up to the user's limit, so one burst does not slow the rest of the run.
public struct EvalConcurrency: Sendable, Equatable {
    /// `--concurrency` (or `eval_concurrency`): never exceeded.
    public let limit: Int
    /// How many cells may run now.
    public private(set) var current: Int
    /// Successes in a row needed to add one slot back.
    public let recoverAfter: Int
    private var streak = 0

    public init(limit: Int, recoverAfter: Int = 8) {
        self.limit = max(1, limit)
        self.current = max(1, limit)
        self.recoverAfter = max(1, recoverAfter)
    }

    public mutating func rateLimited() {
        current = max(1, current / 2)
        streak = 0
    }

    public mutating func succeeded() {
        streak += 1
        if streak >= recoverAfter, current < limit {
            current += 1
            streak = 0
        }
    }

    /// Whether a finished run's error says the server wants fewer requests.
    public static func isRateLimit(_ e: RunError?) -> Bool {
        guard let e else { return false }
        // Z.AI answers some account problems with HTTP 429 too — 1113, an empty balance, above
        // all: waiting cannot fix those, so a documented code decides before the status does.
        if let code = e.code, let entry = ZAIErrorCatalog.lookup(code) {
            return entry.httpStatus == 429 && entry.retryable
        }
        return e.httpStatus == 429
    }
}
