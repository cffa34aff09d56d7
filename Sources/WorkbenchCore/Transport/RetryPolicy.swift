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

    /// What to do after a failed attempt: wait and send again, or stop — with the reason, so the
    /// error the user reads says what actually happened instead of what usually happens.
    public enum Decision: Sendable, Equatable {
        case retry(after: Double)
        case stop(reason: String)
    }

    /// The decision for one failed attempt (0-based).
    /// - Parameters:
    ///   - shouldRetryHeader: the `x-should-retry` header, which overrides the code table.
    ///   - retryAfter: the `Retry-After` header (seconds or an HTTP date).
    ///   - elapsed: seconds since the first attempt started, measured after this attempt ended
    ///     (an attempt that timed out has used up its time).
    public func decide(afterAttempt attempt: Int, advice: RetryAdvice, shouldRetryHeader: String?,
                       retryAfter: String?, elapsed: Double, now: Date = Date(),
                       jitter: Double = Double.random(in: 0...1)) -> Decision {
        var advice = advice
        switch shouldRetryHeader?.lowercased() {
        case "true": if advice == .no { advice = .backoff }
        case "false": return .stop(reason: "the server said not to (x-should-retry: false)")
        default: break
        }
        if advice == .no { return .stop(reason: "this error is not retryable") }
        if maxAttempts <= 1 { return .stop(reason: "retries are off") }
        if advice == .once && attempt >= 1 { return .stop(reason: "this failure is retried at most once") }
        if attempt + 1 >= maxAttempts { return .stop(reason: "\(maxAttempts) attempts made") }
        var d: Double
        if let ra = retryAfter.flatMap({ Self.parseRetryAfter($0, now: now) }) {
            d = ra
            if elapsed + d > maxTotal {
                return .stop(reason: "the server asked to wait \(Self.seconds(d)) (Retry-After), beyond the \(Self.seconds(maxTotal)) retry window")
            }
        } else {
            let scale = advice == .slowBackoff ? 4.0 : 1.0
            d = min(baseDelay * scale * pow(2, Double(attempt)), maxDelay * scale)
            d *= 1 - 0.25 * jitter
        }
        if elapsed + d > maxTotal { return .stop(reason: "the \(Self.seconds(maxTotal)) retry window is used up") }
        return .retry(after: d)
    }

    /// The delay before the next attempt, or nil to give up (`decide` without the reason).
    public func delay(afterAttempt attempt: Int, advice: RetryAdvice, shouldRetryHeader: String?,
                      retryAfter: String?, elapsed: Double, now: Date = Date(),
                      jitter: Double = Double.random(in: 0...1)) -> Double? {
        if case .retry(let d) = decide(afterAttempt: attempt, advice: advice, shouldRetryHeader: shouldRetryHeader,
                                       retryAfter: retryAfter, elapsed: elapsed, now: now, jitter: jitter) { return d }
        return nil
    }

    /// What happened, in the words an error message uses: "retried 2× over 3.1 s", "not retried:
    /// …", or "retried 1× over 0.5 s, then stopped: …".
    public static func account(_ retries: [RetryAttempt], stop: String?) -> String? {
        if retries.isEmpty { return stop.map { "Not retried: \($0)" } }
        let waited = Double(retries.reduce(0) { $0.addingSaturated($1.delayMs) }) / 1000
        var s = "Retried \(retries.count)× over \(seconds(waited))"
        if let stop { s += ", then stopped: \(stop)" }
        return s
    }

    static func seconds(_ s: Double) -> String {
        s < 10 ? String(format: "%.1f s", s) : String(format: "%.0f s", s)
    }

    static func parseRetryAfter(_ value: String, now: Date) -> Double? {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let s = Double(v) { return s.isFinite && s >= 0 ? s : nil }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        if let date = f.date(from: v) { return max(0, date.timeIntervalSince(now)) }
        return nil
    }
}
