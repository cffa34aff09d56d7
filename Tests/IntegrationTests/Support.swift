import Foundation
import GLMSim
import Testing
import WorkbenchCore
import WorkbenchHTTP

/// One GLMSim server for the whole integration suite: it serves every scenario by request, as a
/// user's own `glmwb sim` would.
actor SharedSim {
    static let shared = SharedSim()
    private var server: GLMSimServer?
    func get() async throws -> GLMSimServer {
        if let server { return server }
        let s = try await GLMSimServer.start()
        server = s
        return s
    }
}

/// One folder per test process for every temporary directory the tests make; folders left by
/// earlier runs (whose process is gone) are removed, so test runs do not pile up in /tmp.
let testScratchRoot: String = {
    let fm = FileManager.default
    let tmp = fm.temporaryDirectory.path
    for name in (try? fm.contentsOfDirectory(atPath: tmp)) ?? [] where name.hasPrefix("glmwb-tests-") {
        if let pid = Int32(name.dropFirst("glmwb-tests-".count)), pid != getpid(), kill(pid, 0) != 0 {
            try? fm.removeItem(atPath: tmp + "/" + name)
        }
    }
    let root = tmp + "/glmwb-tests-\(getpid())"
    try? fm.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
}()

func tempDataDir() -> String {
    let d = testScratchRoot + "/" + RunID.make()
    try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    return d
}

/// What a test needs to run requests against the simulator through the real HTTP client.
struct SimRig {
    let server: GLMSimServer
    let transport: HTTPChatTransport
    let log: RunLog
    let provider: Provider
    let dataDir: String

    static func make(readTimeout: Duration = .seconds(20), apiKey: Secret? = nil) async throws -> SimRig {
        let server = try await SharedSim.shared.get()
        let dir = tempDataDir()
        return SimRig(server: server, transport: HTTPChatTransport(readTimeout: readTimeout), log: try RunLog(dataDir: dir),
                      provider: Provider(name: "sim", kind: .sim, baseURL: server.baseURL, apiKey: apiKey,
                                         defaultModel: Provider.glmModel, free: true),
                      dataDir: dir)
    }

    func session(retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05, maxTotal: 5)) async -> Session {
        let s = Session(provider: provider, transport: transport, log: log)
        await s.configure(retry: retry)
        return s
    }

    func close() async { try? await transport.shutdown() }
}

/// Everything one run reported, collected.
struct Collected {
    var events: [RunEvent] = []
    var deltas: String { events.compactMap { if case .delta(let t) = $0 { return t }; return nil }.joined() }
    var result: RunResult { events.compactMap(\.result).last! }
    var payloads: Int { events.filter { if case .payload = $0 { return true }; return false }.count }
}

func collect(_ stream: AsyncStream<[RunEvent]>) async -> Collected {
    var c = Collected()
    for await batch in stream { c.events += batch }
    return c
}

/// Runs one prompt against a scenario through the real client and returns what happened.
func runScenario(_ scenario: String, mode: RunMode, rig: SimRig, prompt: String = "Hello", params: RequestParameters = .init()) async -> Collected {
    let session = await rig.session()
    var p = params
    p.model = "sim/" + scenario
    return await collect(await session.submit(prompt, parameters: p, mode: mode))
}
