import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback Z.AI chat-completions server with scripted scenarios, for offline use
/// (`glmwb sim`) and for tests that need the real wire format and its failure modes.
///
/// Each server owns a one-thread event loop group, so tests can run many servers side by side
/// without sharing scenario counters. Call `shutdown()` when done; it also drops held
/// (`stall`) connections.
public final class GLMSimServer: Sendable {
    public let port: Int
    public let baseURL: URL
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    let state: SimServerState

    private init(port: Int, baseURL: URL, group: MultiThreadedEventLoopGroup, channel: any Channel, state: SimServerState) {
        self.port = port
        self.baseURL = baseURL
        self.group = group
        self.channel = channel
        self.state = state
    }

    /// Binds 127.0.0.1:port (0 = ephemeral). defaultScenario is used when the request does not choose one.
    public static func start(host: String = "127.0.0.1", port: Int = 0, defaultScenario: String = "text") async throws -> GLMSimServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let state = SimServerState(defaultScenario: defaultScenario)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // No Nagle: the `cjk` scenario relies on each flush leaving as its own segment.
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(SimHTTPHandler(state: state))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(host: host, port: port).get()
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        let boundPort = channel.localAddress?.port ?? port
        let urlHost: String
        switch host {
        case "0.0.0.0", "", "::": urlHost = "127.0.0.1"
        case let h where h.contains(":"): urlHost = "[\(h)]"
        default: urlHost = host
        }
        let baseURL = URL(string: "http://\(urlHost):\(boundPort)/api/paas/v4")!
        return GLMSimServer(port: boundPort, baseURL: baseURL, group: group, channel: channel, state: state)
    }

    public func shutdown() async throws {
        try? await channel.close()
        do {
            try await group.shutdownGracefully()
        } catch EventLoopError.shutdown {
            // Already shut down: a second call is harmless.
        }
    }

    /// Number of chat requests that passed validation, per scenario key exactly as sent
    /// (`flaky:2`, `text`, …) — for retry tests.
    public func requestCount(scenario: String) -> Int {
        state.requestCount(scenario: scenario)
    }
}
