import Foundation

/// How many times and how patiently to resend a failed request. Delays follow the SDK: 0.5 s × 2ⁿ,
/// capped, with up to 25 % negative jitter; `Retry-After` wins when the server sends it; the
/// whole retry budget is bounded in time as well as in attempts.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// No retry starts once this much time has passed since the first attempt.
    public var maxTotal: Double

    public init(maxAttempts: Int, baseDelay: Double, maxDelay: Double, maxTotal: Double) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxTotal = maxTotal
    }

    public static let standard = RetryPolicy(maxAttempts: 4, baseDelay: 0.5, maxDelay: 8, maxTotal: 60)
    public static let none = RetryPolicy(maxAttempts: 1, baseDelay: 0, maxDelay: 0, maxTotal: 0)

    /// The decision for one failed attempt (0-based), or nil to give up.
    /// - Parameters:
    ///   - shouldRetryHeader: the `x-should-retry` header, which overrides the code table.
    ///   - retryAfter: the `Retry-After` header (seconds or an HTTP date).
    public func delay(afterAttempt attempt: Int, advice: RetryAdvice, shouldRetryHeader: String?,
                      retryAfter: String?, elapsed: Double, now: Date = Date(),
                      jitter: Double = Double.random(in: 0...1)) -> Double? {
        var advice = advice
        switch shouldRetryHeader?.lowercased() {
        case "true": if advice == .no { advice = .backoff }
        case "false": advice = .no
        default: break
        }
        if advice == .no { return nil }
        if advice == .once && attempt >= 1 { return nil }
        if attempt + 1 >= maxAttempts { return nil }
        var d: Double
        if let ra = retryAfter.flatMap({ Self.parseRetryAfter($0, now: now) }) {
            d = ra
        } else {
            let scale = advice == .slowBackoff ? 4.0 : 1.0
            d = min(baseDelay * scale * pow(2, Double(attempt)), maxDelay * scale)
            d *= 1 - 0.25 * jitter
        }
        if elapsed + d > maxTotal { return nil }
        return d
    }

    static func parseRetryAfter(_ value: String, now: Date) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let s = Double(v), s >= 0 { return s }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = f.date(from: v) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}
