import Foundation
import GLMSim
import WorkbenchCore
import WorkbenchHTTP

/// One GLMSim server for the whole test process: it serves every scenario by request, as a
/// user's own `glmwb sim` would. Tests that count requests per scenario start their own
/// (`SimRig.make(ownServer: true)`).
public actor SharedSim {
    public static let shared = SharedSim()
    private var server: GLMSimServer?

    public func get() async throws -> GLMSimServer {
        if let server { return server }
        let s = try await GLMSimServer.start()
        server = s
        return s
    }
}

/// What a test needs to run requests against the simulator through the real HTTP client on
/// loopback: the server, the client, a run log in a fresh folder, and the provider.
public struct SimRig: Sendable {
    public let server: GLMSimServer
    public let transport: HTTPChatTransport
    public let log: RunLog
    public let provider: Provider
    public let dataDir: String
    /// The server is this rig's own (not the shared one) and `close` shuts it down.
    public let ownsServer: Bool

    public static func make(
        readTimeout: Duration = .seconds(20), apiKey: Secret? = nil,
        ownServer: Bool = false
    ) async throws -> SimRig {
        let server = ownServer ? try await GLMSimServer.start() : try await SharedSim.shared.get()
        let dir = tempDataDir()
        let log: RunLog
        do { log = try RunLog(dataDir: dir) } catch {
            if ownServer { try? await server.shutdown() }
            throw error
        }
        return SimRig(
            server: server, transport: HTTPChatTransport(readTimeout: readTimeout), log: log,
            provider: Provider(
                name: "sim", kind: .sim, baseURL: server.baseURL, apiKey: apiKey,
                defaultModel: Provider.glmModel, free: true),
            dataDir: dir, ownsServer: ownServer)
    }

    public func session(retry: RetryPolicy = .fastTests, system: String? = nil) async -> Session {
        let s = Session(provider: provider, transport: transport, log: log, system: system)
        await s.configure(retry: retry)
        return s
    }

    /// Shuts the HTTP client down, and the server when the rig owns it.
    public func close() async {
        try? await transport.shutdown()
        if ownsServer { try? await server.shutdown() }
    }
}

/// Runs `body` with a fresh rig and closes it afterwards on every path — a thrown error or a
/// failed `#require` included — so no client or server outlives its test.
public func withSimRig<T>(
    readTimeout: Duration = .seconds(20), apiKey: Secret? = nil, ownServer: Bool = false,
    _ body: (SimRig) async throws -> T
) async throws -> T {
    let rig = try await SimRig.make(readTimeout: readTimeout, apiKey: apiKey, ownServer: ownServer)
    do {
        let value = try await body(rig)
        await rig.close()
        return value
    } catch {
        await rig.close()
        throw error
    }
}

/// Runs `body` with a session on a fresh rig (see `withSimRig`), closing both afterwards.
public func withSimSession<T>(
    system: String? = nil, retry: RetryPolicy = .fastTests, ownServer: Bool = false,
    _ body: (Session, SimRig) async throws -> T
) async throws -> T {
    try await withSimRig(ownServer: ownServer) { rig in
        try await body(await rig.session(retry: retry, system: system), rig)
    }
}

/// `withSimSession` for a body that needs only the session.
public func withSimSession<T>(
    system: String? = nil, retry: RetryPolicy = .fastTests, ownServer: Bool = false,
    _ body: (Session) async throws -> T
) async throws -> T {
    try await withSimSession(system: system, retry: retry, ownServer: ownServer) { session, _ in try await body(session)
    }
}

/// Runs one prompt against a scenario through the real client and returns what happened.
public func runScenario(
    _ scenario: String, mode: RunMode, rig: SimRig, prompt: String = "Hello",
    params: RequestParameters = .init()
) async -> Collected {
    let session = await rig.session()
    var p = params
    p.model = "sim/" + scenario
    return await collect(await session.submit(prompt, parameters: p, mode: mode))
}
