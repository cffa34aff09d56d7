import Foundation
import WorkbenchCore

extension Provider {
    /// A Z.AI-shaped provider for scripted runs: GLM rules, GLM prices (free, so the would-cost
    /// is shown), a base URL nothing listens on (a script never opens a socket).
    public static func scripted(name: String = "sim", kind: ProviderKind = .sim, apiKey: Secret? = nil) -> Provider {
        Provider(
            name: name, kind: kind, baseURL: URL(string: "http://127.0.0.1:1/api/paas/v4")!, apiKey: apiKey,
            defaultModel: Provider.glmModel, free: kind == .sim || kind == .local)
    }
}

extension RetryPolicy {
    /// The standard attempts with delays short enough for a unit test (10–50 ms). The time
    /// window is far above anything a test waits: it counts wall time from the run's start, and
    /// when every test starts at once on 2 cores the first attempt alone can take 25 s — a 5 s
    /// window then cut the retries short and a test that counts attempts failed (CI, stop 18).
    /// The window itself is tested with its own policy (HostileInputTests, ErrorPolicyTests).
    public static let fastTests = RetryPolicy(maxAttempts: 4, baseDelay: 0.01, maxDelay: 0.05, maxTotal: 600)
}

extension Session {
    /// A session on a scripted transport, retrying with `RetryPolicy.fastTests`.
    public static func scripted(
        _ transport: ScriptedTransport, provider: Provider = .scripted(), log: RunLog? = nil,
        system: String? = nil, maxEventBytes: Int = SSEParser.defaultMaxEventBytes
    ) async -> Session {
        let s = Session(
            provider: provider, transport: transport, log: log, system: system, maxEventBytes: maxEventBytes)
        await s.configure(retry: .fastTests)
        return s
    }
}
