import Foundation
import Logging
import MCP

/// The SDK's `StdioTransport` over a child's pipes, with two guards the SDK's `Client` needs:
///
/// - `Client`'s message loop asks for `receive()` again whenever the stream it read has ended,
///   without pausing; after EOF that is a busy loop until `disconnect()`. Here only the first
///   call gets the real stream; later calls get one that fails at once, which ends the loop.
///   The end of stdout is also reported, so pending requests can fail instead of waiting.
/// - A `disconnect()` that races `connect()` (a handshake timeout at the wrong moment) must not
///   leave the stdio read loop running on descriptors that are about to be closed.
actor MCPPipeTransport: Transport {
    nonisolated let logger: Logger
    private let inner: StdioTransport
    private let stream: AsyncThrowingStream<Data, Swift.Error>
    private var handedOut = false
    private var closed = false

    private init(inner: StdioTransport, stream: AsyncThrowingStream<Data, Swift.Error>) {
        self.inner = inner
        self.stream = stream
        self.logger = inner.logger
    }

    /// `onEnd` runs once the client has read the last message before the end of the server's
    /// stdout (EOF or a read error), so answers already written are delivered first.
    static func make(_ inner: StdioTransport, onEnd: @escaping @Sendable () -> Void) async -> MCPPipeTransport {
        let reader = MCPMessageReader(source: await inner.receive(), onEnd: onEnd)
        let stream = AsyncThrowingStream<Data, Swift.Error>(unfolding: { try await reader.next() })
        return MCPPipeTransport(inner: inner, stream: stream)
    }

    func connect() async throws {
        if closed { throw MCP.MCPError.connectionClosed }
        try await inner.connect()
        if closed {
            await inner.disconnect()
            throw MCP.MCPError.connectionClosed
        }
    }

    func disconnect() async {
        closed = true
        await inner.disconnect()
    }

    func send(_ data: Data) async throws {
        if closed { throw MCP.MCPError.connectionClosed }
        try await inner.send(data)
    }

    func receive() -> AsyncThrowingStream<Data, Swift.Error> {
        if handedOut || closed {
            return AsyncThrowingStream { $0.finish(throwing: MCP.MCPError.connectionClosed) }
        }
        handedOut = true
        return stream
    }
}

/// Reads the stdio transport's messages for exactly one consumer (the client's message loop) and
/// reports the end once.
private final class MCPMessageReader: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<Data, Swift.Error>.AsyncIterator
    private var ended = false
    private let onEnd: @Sendable () -> Void

    init(source: AsyncThrowingStream<Data, Swift.Error>, onEnd: @escaping @Sendable () -> Void) {
        self.iterator = source.makeAsyncIterator()
        self.onEnd = onEnd
    }

    /// Called by one task at a time (the unfolding stream's consumer).
    func next() async throws -> Data? {
        if ended { return nil }
        do {
            if let message = try await iterator.next() { return message }
            end()
            return nil
        } catch {
            end()
            throw error
        }
    }

    private func end() {
        guard !ended else { return }
        ended = true
        onEnd()
    }
}
