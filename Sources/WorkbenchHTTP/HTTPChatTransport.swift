import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import WorkbenchCore

/// `ChatTransport` over AsyncHTTPClient. Streams the body as it arrives, aborts the request when
/// the calling task is cancelled, and retries failures that happen before a body starts, as the
/// request's `RetryPolicy` and Core's error table allow. A stream that breaks later is never
/// retried here: that is the caller's (visible) decision.
public final class HTTPChatTransport: ChatTransport {
    private let client: HTTPClient
    /// Bounds waiting for the response head (a non-stream reply only has a head once it is done).
    private let headDeadline: Duration

    /// - Parameters:
    ///   - connectTimeout: bound on establishing the connection.
    ///   - readTimeout: bound on silence between two reads, which is how a stalled stream is caught.
    public init(connectTimeout: Duration = .seconds(8), readTimeout: Duration = .seconds(120), headDeadline: Duration = .seconds(600)) {
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .init(connectTimeout), read: .init(readTimeout))
        config.decompression = .enabled(limit: .none)
        // Retrying is this transport's job (bounded, with backoff, recorded in the run). Left on,
        // the pool would also retry a refused connection until the connect timeout, so a server
        // that is simply down took 8 s per attempt.
        config.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        self.headDeadline = headDeadline
    }

    public func shutdown() async throws { try await client.shutdown() }

    public func send(_ request: TransportRequest) async throws -> TransportResponse {
        let clock = ContinuousClock()
        let t0 = clock.now
        var retries: [RetryAttempt] = []
        var attempt = 0
        while true {
            try Task.checkCancellation()
            let elapsed = Self.seconds(clock.now - t0)
            do {
                let response = try await client.execute(makeRequest(request), timeout: .init(headDeadline))
                let status = Int(response.status.code)
                let headers = response.headers.map { ($0.name, $0.value) }
                if (200..<300).contains(status) {
                    return TransportResponse(status: status, headers: headers, body: Self.wrap(response.body), retries: retries)
                }
                let buffer = try await response.body.collect(upTo: 4 << 20)
                let bytes = Array(buffer: buffer)
                let detail = APIErrorBody.parse(bytes)?.detail
                let advice = ZAIErrorCatalog.advice(code: detail?.code, httpStatus: status)
                if let delay = request.retry.delay(afterAttempt: attempt, advice: advice,
                                                   shouldRetryHeader: response.headers.first(name: "x-should-retry"),
                                                   retryAfter: response.headers.first(name: "retry-after"),
                                                   elapsed: Self.seconds(clock.now - t0)) {
                    retries.append(RetryAttempt(status: status, code: detail?.code, message: detail?.message ?? "HTTP \(status)", delayMs: Int(delay * 1000)))
                    try await Task.sleep(for: .seconds(delay))
                    attempt += 1
                    continue
                }
                return TransportResponse(status: status, headers: headers, body: .bytes(bytes), retries: retries)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                var failure = Self.classify(error)
                if let delay = request.retry.delay(afterAttempt: attempt, advice: .backoff, shouldRetryHeader: nil,
                                                   retryAfter: nil, elapsed: elapsed) {
                    retries.append(RetryAttempt(status: nil, code: nil, message: failure.message, delayMs: Int(delay * 1000)))
                    try await Task.sleep(for: .seconds(delay))
                    attempt += 1
                    continue
                }
                failure.retries = retries
                throw failure
            }
        }
    }

    private func makeRequest(_ r: TransportRequest) -> HTTPClientRequest {
        var req = HTTPClientRequest(url: r.url.absoluteString)
        req.method = .POST
        req.headers.add(name: "Content-Type", value: "application/json; charset=UTF-8")
        req.headers.add(name: "Accept", value: "application/json, text/event-stream")
        // Z.AI answers errors in Chinese unless asked otherwise.
        req.headers.add(name: "Accept-Language", value: "en-US,en")
        req.headers.add(name: "User-Agent", value: "glmwb/0.1")
        if let key = r.apiKey { req.headers.add(name: "Authorization", value: "Bearer \(key.value)") }
        for (k, v) in r.extraHeaders { req.headers.add(name: k, value: v) }
        req.body = .bytes(ByteBuffer(bytes: r.body))
        return req
    }

    private static func wrap(_ body: HTTPClientResponse.Body) -> ResponseBody {
        ResponseBody {
            var iterator = body.makeAsyncIterator()
            return ResponseBody.AsyncIterator {
                do {
                    guard let buffer = try await iterator.next() else { return nil }
                    return Array(buffer: buffer)
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw classify(error)
                }
            }
        }
    }

    static func classify(_ error: Error) -> TransportError {
        if let e = error as? TransportError { return e }
        if let e = error as? HTTPClientError {
            switch e {
            case .readTimeout: return TransportError(.readTimeout, "no data from the server within the read timeout (stalled)")
            case .connectTimeout: return TransportError(.timeout, "connecting timed out")
            case .deadlineExceeded: return TransportError(.timeout, "no response within the deadline")
            case .remoteConnectionClosed: return TransportError(.disconnected, "the server closed the connection")
            case .cancelled: return TransportError(.other, "request cancelled")
            default: return TransportError(.other, String(describing: e))
            }
        }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return TransportError(.connect, "connection refused: \(text)") }
        if text.localizedCaseInsensitiveContains("timeout") { return TransportError(.timeout, text) }
        return TransportError(.connect, text)
    }

    private static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
