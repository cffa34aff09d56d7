import Foundation
import Testing
@testable import WorkbenchCore

@Suite("Error table and retry policy")
struct ErrorPolicyTests {
    /// Every business code listed in zai-api.md §5 is in the table.
    @Test("the catalog holds every documented code")
    func completeness() {
        let documented = ["500", "1000", "1001", "1002", "1003", "1004", "1100", "1110", "1111", "1112", "1113", "1120", "1121",
                          "1200", "1210", "1211", "1212", "1213", "1214", "1215", "1220", "1221", "1222", "1230", "1231", "1234",
                          "1261", "1300", "1301", "1302", "1303", "1304", "1305", "1308", "1309", "1310", "1311", "1312", "1313"]
        #expect(Set(ZAIErrorCatalog.all.map(\.code)) == Set(documented))
        #expect(ZAIErrorCatalog.all.count == documented.count, "no duplicates")
    }

    @Test("the business code decides, not the status: 1113 at HTTP 429 is never retried")
    func codeFirst() {
        #expect(ZAIErrorCatalog.advice(code: "1113", httpStatus: 429) == .no)
        #expect(ZAIErrorCatalog.advice(code: "1302", httpStatus: 429) == .backoff)
        #expect(ZAIErrorCatalog.advice(code: "1305", httpStatus: 503) == .slowBackoff)
        #expect(ZAIErrorCatalog.advice(code: "1261", httpStatus: 400) == .no)
        #expect(ZAIErrorCatalog.advice(code: nil, httpStatus: 502) == .backoff)
        #expect(ZAIErrorCatalog.advice(code: nil, httpStatus: 404) == .no)
        #expect(ZAIErrorCatalog.advice(code: "9999", httpStatus: 429) == .backoff, "unknown code falls back to the status")
    }

    @Test("never-retry codes from the spec", arguments: ["1113", "1261", "1301", "1304", "1308", "1309", "1310", "1311", "1313", "1000", "1002", "1214"])
    func neverRetry(_ code: String) {
        #expect(ZAIErrorCatalog.lookup(code)?.retryable == false)
    }

    @Test("exponential backoff with at most 25 % negative jitter, capped")
    func backoff() {
        let p = RetryPolicy(maxAttempts: 10, baseDelay: 0.5, maxDelay: 8, maxTotal: 1000)
        #expect(p.delay(afterAttempt: 0, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == 0.5)
        #expect(p.delay(afterAttempt: 2, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == 2)
        #expect(p.delay(afterAttempt: 2, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 1) == 1.5)
        #expect(p.delay(afterAttempt: 8, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == 8)
        #expect(p.delay(afterAttempt: 0, advice: .slowBackoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == 2)
    }

    @Test("Retry-After (seconds or HTTP date) wins; x-should-retry overrides the table")
    func headers() {
        let p = RetryPolicy.standard
        #expect(p.delay(afterAttempt: 0, advice: .backoff, shouldRetryHeader: nil, retryAfter: "3", elapsed: 0) == 3)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let d = p.delay(afterAttempt: 0, advice: .backoff, shouldRetryHeader: nil, retryAfter: "Tue, 14 Nov 2023 22:13:25 GMT", elapsed: 0, now: now)
        #expect(d == 5)
        #expect(p.delay(afterAttempt: 0, advice: .backoff, shouldRetryHeader: "false", retryAfter: nil, elapsed: 0) == nil)
        #expect(p.delay(afterAttempt: 0, advice: .no, shouldRetryHeader: "true", retryAfter: "0", elapsed: 0) == 0)
    }

    @Test("bounded in attempts and in total time; `once` allows one retry")
    func bounds() {
        let p = RetryPolicy(maxAttempts: 3, baseDelay: 1, maxDelay: 8, maxTotal: 10)
        #expect(p.delay(afterAttempt: 1, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == 2)
        #expect(p.delay(afterAttempt: 2, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == nil)
        #expect(p.delay(afterAttempt: 0, advice: .backoff, shouldRetryHeader: nil, retryAfter: nil, elapsed: 9.9, jitter: 0) == nil)
        #expect(p.delay(afterAttempt: 0, advice: .once, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == 1)
        #expect(p.delay(afterAttempt: 1, advice: .once, shouldRetryHeader: nil, retryAfter: nil, elapsed: 0, jitter: 0) == nil)
    }

    @Test("an API error's summary names the code, its meaning and what to do")
    func summary() {
        let e = RunError.api(code: "1113", httpStatus: 429, message: "余额不足")
        #expect(e.summary.contains("code 1113"))
        #expect(e.summary.contains("insufficient balance"))
        #expect(e.summary.contains("Top up"))
        #expect(e.retryable == false)
    }

    @Test("1113 advice names the wrong endpoint as well as the balance")
    func advice1113() throws {
        let e = try #require(ZAIErrorCatalog.lookup("1113"))
        #expect(e.advice.contains("Top up"))
        #expect(e.advice.contains("Coding Plan") && e.advice.contains("api/coding/paas/v4"))
        #expect(e.advice.contains("open.bigmodel.cn") && e.advice.contains("intl vs cn"))
        #expect(e.retryable == false)
    }
}
