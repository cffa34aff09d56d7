import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import WorkbenchCore

/// `ChatTransport` over AsyncHTTPClient. Streams the body as it arrives, aborts the request when
/// the calling task is cancelled, and retries failures that happen before a body starts, as the
/// request's `RetryPolicy` and Core's error table allow. A stream that breaks later is never
/// retried here: that is the caller's (visible) decision.
public final class HTTPChatTransport: ChatTransport {
    private let client: HTTPClient
    /// Bounds waiting for the response head (a non-stream reply only has a head once it is done).
    private let headDeadline: Duration
    /// An error body is read up to this many bytes for its message; the rest is not read.
    static let errorBodyLimit = 1 << 20
    /// Decompressed bytes per compressed byte beyond which a gzip/deflate body is refused: real
    /// chat streams compress 5–40×; a decompression bomb is about 1000×.
    static let decompressionRatioLimit = 200

    /// - Parameters:
    ///   - connectTimeout: bound on establishing the connection.
    ///   - readTimeout: bound on silence between two reads, which is how a stalled stream is caught.
    public init(connectTimeout: Duration = .seconds(8), readTimeout: Duration = .seconds(120), headDeadline: Duration = .seconds(600)) {
        var config = HTTPClient.Configuration()
        config.timeout = .init(connect: .init(connectTimeout), read: .init(readTimeout))
        config.decompression = .enabled(limit: .ratio(Self.decompressionRatioLimit))
        // A redirected POST is resent as a GET without its body (301/302) or to a host the user
        // never named: never follow; the run reports where the server pointed.
        config.redirectConfiguration = .disallow
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
            do {
                let response = try await client.execute(makeRequest(request), timeout: .init(headDeadline))
                let status = Int(response.status.code)
                let headers = response.headers.map { ($0.name, $0.value) }
                if (200..<300).contains(status) {
                    return TransportResponse(status: status, headers: headers, body: Self.wrap(response.body), retries: retries)
                }
                let bytes = try await Self.collectErrorBody(response.body)
                if (300..<400).contains(status) {
                    // The run's error says the redirect is not followed; nothing more to add.
                    return TransportResponse(status: status, headers: headers, body: .bytes(bytes), retries: retries)
                }
                let detail = APIErrorBody.parse(bytes)?.detail
                let advice = ZAIErrorCatalog.advice(code: detail?.code, httpStatus: status)
                let decision = request.retry.decide(afterAttempt: attempt, advice: advice,
                                                    shouldRetryHeader: response.headers.first(name: "x-should-retry"),
                                                    retryAfter: response.headers.first(name: "retry-after"),
                                                    elapsed: Self.seconds(clock.now - t0))
                if case .retry(let delay) = decision {
                    retries.append(RetryAttempt(status: status, code: detail?.code, message: detail?.message ?? "HTTP \(status)", delayMs: Int(clamping: delay * 1000)))
                    try await Task.sleep(for: .seconds(delay))
                    attempt += 1
                    continue
                }
                guard case .stop(let reason) = decision else { continue }
                return TransportResponse(status: status, headers: headers, body: .bytes(bytes), retries: retries, retryStop: reason)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                if Task.isCancelled { throw CancellationError() }
                var failure = Self.classify(error)
                // The request may have reached the server before a timeout: resending it can bill
                // twice, so a timed-out POST is retried once at most (and the retry is recorded).
                let timedOut = failure.kind == .timeout || failure.kind == .readTimeout
                let decision = request.retry.decide(afterAttempt: attempt, advice: timedOut ? .once : .backoff, shouldRetryHeader: nil,
                                                    retryAfter: nil, elapsed: Self.seconds(clock.now - t0))
                if case .retry(let delay) = decision {
                    let note = timedOut ? " (the timed-out attempt may have been billed)" : ""
                    retries.append(RetryAttempt(status: nil, code: nil, message: failure.message + note, delayMs: Int(clamping: delay * 1000)))
                    try await Task.sleep(for: .seconds(delay))
                    attempt += 1
                    continue
                }
                if case .stop(let reason) = decision { failure.retryStop = reason }
                failure.retries = retries
                throw failure
            }
        }
    }

    /// Reads an error body up to `errorBodyLimit` bytes and drops the rest unread: a huge error
    /// body is still the HTTP error it is, reported with its status, never a transport failure.
    static func collectErrorBody(_ body: HTTPClientResponse.Body) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await buffer in body {
                let room = errorBodyLimit - bytes.count
                if buffer.readableBytes >= room {
                    bytes.append(contentsOf: buffer.readableBytesView.prefix(room))
                    bytes.append(contentsOf: Array("… (error body cut at 1 MiB)".utf8))
                    break
                }
                bytes.append(contentsOf: buffer.readableBytesView)
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // A body that breaks off still leaves the status to report.
        }
        return bytes
    }

    private func makeRequest(_ r: TransportRequest) -> HTTPClientRequest {
        var req = HTTPClientRequest(url: r.url.absoluteString)
        req.method = .POST
        req.headers.add(name: "Content-Type", value: "application/json; charset=UTF-8")
        req.headers.add(name: "Accept", value: "application/json, text/event-stream")
        // Z.AI answers errors in Chinese unless asked otherwise.
        req.headers.add(name: "Accept-Language", value: "en-US,en")
        req.headers.add(name: "User-Agent", value: "glmwb/\(GLMWBVersion.string)")
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
            case .redirectLimitReached, .redirectCycleDetected: return TransportError(.other, "the server redirected the request")
            case .cancelled: return TransportError(.other, "request cancelled")
            default: return TransportError(.other, String(describing: e))
            }
        }
        if let d = error as? NIOHTTPDecompression.DecompressionError, d == .limit {
            return TransportError(.other, "the compressed body inflates more than \(decompressionRatioLimit)× (a decompression bomb?); reading stopped")
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
