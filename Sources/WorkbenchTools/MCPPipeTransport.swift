import Foundation
import Logging
import MCP

/// The SDK's `StdioTransport` over a child's pipes, with two guards the SDK's `Client` needs:
///
/// - `Client`'s message loop asks for `receive()` again whenever the stream it read has ended,
///   without pausing; after EOF that is a busy loop until `disconnect()`. Here only the first
///   call gets the real stream; later calls get one that fails at once, which ends the loop.
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

    static func make(_ inner: StdioTransport) async -> MCPPipeTransport {
        MCPPipeTransport(inner: inner, stream: await inner.receive())
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
