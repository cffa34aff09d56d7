import Foundation

/// An HTTP request as Core describes it. The key travels separately from the body so nothing that
/// stores or prints requests can pick it up by accident.
public struct TransportRequest: Sendable {
    public var url: URL
    public var body: Data
    public var apiKey: Secret?
    public var extraHeaders: [(String, String)]
    public var retry: RetryPolicy

    public init(url: URL, body: Data, apiKey: Secret?, extraHeaders: [(String, String)] = [], retry: RetryPolicy = .standard) {
        self.url = url
        self.body = body
        self.apiKey = apiKey
        self.extraHeaders = extraHeaders
        self.retry = retry
    }
}

/// One failed attempt that was retried, kept for the run record.
public struct RetryAttempt: Sendable, Codable, Equatable {
    public var status: Int?
    public var code: String?
    public var message: String
    public var delayMs: Int

    /// One line for the log pane, `logs show` and the Markdown export.
    public var summary: String {
        [status.map { "HTTP \($0)" }, code.map { "code \($0)" }, message].compactMap { $0 }.joined(separator: " · ")
            + ", then waited \(delayMs) ms"
    }

    public init(status: Int?, code: String?, message: String, delayMs: Int) {
        self.status = status
        self.code = code
        self.message = message
        self.delayMs = delayMs
    }
}

/// The response head and a body that yields bytes as they arrive.
public struct TransportResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: ResponseBody
    /// Attempts that failed before this response and were retried.
    public var retries: [RetryAttempt]
    /// For an error response: why it was not retried (said in the run's error).
    public var retryStop: String?

    public init(status: Int, headers: [(String, String)], body: ResponseBody, retries: [RetryAttempt] = [], retryStop: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.retries = retries
        self.retryStop = retryStop
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }
}

/// A response body as an async sequence of byte slices, one per network read. Type-erased so
/// Core never sees NIO's `ByteBuffer`.
public struct ResponseBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    private let factory: @Sendable () -> AsyncIterator

    public init(_ factory: @escaping @Sendable () -> AsyncIterator) { self.factory = factory }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private let nextChunk: () async throws -> [UInt8]?
        public init(_ next: @escaping () async throws -> [UInt8]?) { nextChunk = next }
        public mutating func next() async throws -> [UInt8]? { try await nextChunk() }
    }

    public func makeAsyncIterator() -> AsyncIterator { factory() }

    /// A body that is already in memory (error bodies that were read for retry decisions, tests).
    public static func bytes(_ data: [UInt8]) -> ResponseBody {
        ResponseBody {
            var sent = false
            return AsyncIterator {
                if sent || data.isEmpty { return nil }
                sent = true
                return data
            }
        }
    }
}

/// How bytes travel. WorkbenchHTTP implements it with AsyncHTTPClient; cancellation of the
/// calling task must abort the request at once.
public protocol ChatTransport: Sendable {
    /// Sends the request, retrying failures before the body starts as `request.retry` allows.
    /// Returns the first non-retried response, whatever its status.
    func send(_ request: TransportRequest) async throws -> TransportResponse
}

/// Failures below HTTP: no connection, a timeout, a dropped connection.
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case connect, timeout, readTimeout = "read_timeout", disconnected, other
    }
    public var kind: Kind
    public var message: String
    /// Attempts that failed before this last one, so the run record shows every try.
    public var retries: [RetryAttempt] = []
    /// Why this last failure was not retried.
    public var retryStop: String?
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
    public var description: String { message }
}

/// An API key. Its description is redacted so string interpolation, logging and `dump` can never
/// reveal it; only the transport reads `.value` to build the header.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
