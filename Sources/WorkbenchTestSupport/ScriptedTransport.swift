import Foundation
import WorkbenchCore

/// A `ChatTransport` that plays a script from memory: each attempt gets the next `Reply`, whose
/// body is served read by read, with pauses and faults where the script puts them.
///
/// It is to `RunExecutor` and `Session` what SwiftNIO's `EmbeddedChannel` is to a channel
/// handler: the real code above the transport runs unchanged, with no socket, no server and no
/// event loop, so a test of a stream, a retry, a dropped connection or a cancel takes
/// milliseconds and fails the same way every time. What travels over loopback (HTTP framing,
/// timeouts, compression) is left to the GLMSim and hostile-server tests.
///
/// It keeps `ChatTransport`'s contract as `HTTPChatTransport` does: an error status or a failure
/// before the response is retried as `request.retry` decides (Core's `RetryPolicy` and error
/// table), and the retries are reported with the response; a body that breaks off is never
/// retried.
public final class ScriptedTransport: ChatTransport {
    /// What one attempt gets.
    public enum Reply: Sendable {
        /// A response head, then its body, step by step.
        case response(status: Int, headers: [Header], body: [BodyStep])
        /// The attempt fails before any response (a refused connection, a connect timeout).
        case failure(TransportError)
        /// No response ever comes: `send` waits until its task is cancelled (see `hangSafetyLimit`).
        case hang
    }

    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One step of a response body.
    public enum BodyStep: Sendable, Equatable {
        /// One network read.
        case bytes([UInt8])
        /// The same read, `times` times over (an endless-looking body that still ends).
        case repeating([UInt8], times: Int)
        /// A pause before the next read (real time passes: timings see it).
        case pause(Duration)
        /// The connection drops: the read throws `TransportError(.disconnected)`.
        case reset
        /// The body stalls: the read waits until its task is cancelled (see `hangSafetyLimit`).
        case hang
    }

    private struct Record {
        var replies: [Reply]
        var requests: [TransportRequest] = []
        var bodyReads = 0
    }

    private let state: Mutex<Record>

    /// - Parameter replies: one per attempt, in order. An attempt past the end of the script
    ///   fails with a transport error that says so (a test that retried more than it meant to
    ///   sees why).
    public init(_ replies: [Reply]) { state = Mutex(Record(replies: replies)) }

    public convenience init(_ replies: Reply...) { self.init(replies) }

    /// Every request sent, retries included, in order.
    public var requests: [TransportRequest] { state.withLock { $0.requests } }

    /// Reads served from bodies so far (how far a consumer read before it stopped).
    public var bodyReads: Int { state.withLock { $0.bodyReads } }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let clock = ContinuousClock()
        let t0 = clock.now
        var retries: [RetryAttempt] = []
        var attempt = 0
        func elapsed() -> Double {
            let d = clock.now - t0
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        while true {
            try Task.checkCancellation()
            let reply = state.withLock { r -> Reply in
                r.requests.append(request)
                guard !r.replies.isEmpty else {
                    return .failure(TransportError(.other, "the script has no reply for attempt \(r.requests.count)"))
                }
                return r.replies.removeFirst()
            }
            switch reply {
            case .hang:
                try await Self.waitForCancellation()
                throw CancellationError()
            case .failure(var failure):
                let timedOut = failure.kind == .timeout || failure.kind == .readTimeout
                let decision = request.retry.decide(
                    afterAttempt: attempt, advice: timedOut ? .once : .backoff,
                    shouldRetryHeader: nil, retryAfter: nil, elapsed: elapsed())
                if case .retry(let delay) = decision {
                    let retry = RetryAttempt(
                        status: nil, code: nil, message: failure.message, delayMs: Int(delay * 1000))
                    retries.append(retry)
                    try await Task.sleep(for: .seconds(delay))
                    attempt += 1
                    continue
                }
                if case .stop(let reason) = decision { failure.retryStop = reason }
                failure.retries = retries
                throw failure
            case .response(let status, let headers, let steps):
                let pairs = headers.map { ($0.name, $0.value) }
                if (200..<300).contains(status) {
                    return TransportResponse(status: status, headers: pairs, body: body(steps), retries: retries)
                }
                // An error body is read whole before deciding, as a real client must.
                var bytes: [UInt8] = []
                do {
                    for try await read in body(steps) { bytes += read }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // A body that breaks off still leaves the status to report.
                }
                let head = TransportResponse(status: status, headers: pairs, body: .bytes(bytes))
                if (300..<400).contains(status) {
                    return TransportResponse(status: status, headers: pairs, body: .bytes(bytes), retries: retries)
                }
                let detail = APIErrorBody.parse(bytes)?.detail
                let decision = request.retry.decide(
                    afterAttempt: attempt, advice: ZAIErrorCatalog.advice(code: detail?.code, httpStatus: status),
                    shouldRetryHeader: head.header("x-should-retry"),
                    retryAfter: head.header("retry-after"), elapsed: elapsed())
                switch decision {
                case .retry(let delay):
                    retries.append(
                        RetryAttempt(
                            status: status, code: detail?.code, message: detail?.message ?? "HTTP \(status)",
                            delayMs: Int(delay * 1000)))
                    try await Task.sleep(for: .seconds(delay))
                    attempt += 1
                case .stop(let reason):
                    return TransportResponse(
                        status: status, headers: pairs, body: .bytes(bytes), retries: retries, retryStop: reason)
                }
            }
        }
    }

    /// The body as the executor reads it: one element per `.bytes` step.
    private func body(_ steps: [BodyStep]) -> ResponseBody {
        ResponseBody { [self] in
            var i = 0
            var repeated = 0
            return ResponseBody.AsyncIterator { [self] in
                while i < steps.count {
                    switch steps[i] {
                    case .bytes(let b):
                        i += 1
                        state.withLock { $0.bodyReads += 1 }
                        return b
                    case .repeating(let b, let times):
                        guard repeated < times else {
                            i += 1
                            repeated = 0
                            continue
                        }
                        repeated += 1
                        state.withLock { $0.bodyReads += 1 }
                        return b
                    case .pause(let d):
                        i += 1
                        try await Task.sleep(for: d)
                    case .reset:
                        i = steps.count
                        throw TransportError(.disconnected, "the server closed the connection")
                    case .hang:
                        try await Self.waitForCancellation()
                        throw CancellationError()
                    }
                }
                return nil
            }
        }
    }

    /// How long a scripted hang waits for its cancel before it gives up.
    ///
    /// A hang is meant to end only by cancellation; a test whose cancel never arrives would
    /// otherwise hang the whole test run. After this long the hang throws a transport error that
    /// names itself, so such a test fails on its status (not cancelled) instead of on a clock.
    public static let hangSafetyLimit: Duration = .seconds(300)

    /// Throws `CancellationError` when the calling task is cancelled, or, if no cancel comes within
    /// `hangSafetyLimit`, a transport error saying the hang was never cancelled.
    private static func waitForCancellation() async throws {
        try await Task.sleep(for: hangSafetyLimit)
        throw TransportError(.other, "the scripted hang was never cancelled (\(hangSafetyLimit))")
    }
}
