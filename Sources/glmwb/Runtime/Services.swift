import ArgumentParser
import Foundation
import GLMSim
import WorkbenchCore
import WorkbenchHTTP

/// Everything a command needs to run requests: the provider, a transport, the log, prices.
/// Built once per process; `close()` flushes the log and stops the in-process simulator.
struct Services {
    var provider: Provider
    var transport: HTTPChatTransport
    var log: RunLog
    var prices: PriceTable
    var config: WorkbenchConfig
    var sim: GLMSimServer?
    /// How further providers are reached (`provider(named:)`).
    var connection: ConnectionOptions
    var quiet = false
    /// The in-process simulator's default scenario: `text`, or `grounded` for `glmwb eval`,
    /// whose cases need a simulator that reads the prompt (GLMScenarios lists both).
    var simScenario = "text"

    /// - Parameter quiet: send the local model's progress messages to its log instead of the
    ///   terminal (the TUI owns the screen).
    static func open(_ o: ProviderOptions, quiet: Bool = false) async throws -> Services {
        try await open(provider: o.provider, o.connection, quiet: quiet)
    }

    /// The services with `name` (nil: the default provider) as the provider; `glmwb eval`
    /// resolves its further columns' providers with `provider(named:)`.
    static func open(
        provider name: String?, _ o: ConnectionOptions, quiet: Bool = false, simScenario: String = "text"
    ) async throws -> Services {
        let env = ProcessInfo.processInfo.environment
        let config = try loadConfig(o)
        var sim: GLMSimServer?
        let provider = try await resolve(
            name ?? ProviderResolver(environment: env, config: config).defaultProviderName(),
            config: config, connection: o, quiet: quiet, simScenario: simScenario, sim: &sim)
        let log: RunLog
        do {
            log = try openLog(RunLog.dataDir(flag: o.dataDir, config: config, environment: env), config: config)
        } catch {
            try? await sim?.shutdown()
            throw error
        }
        // Both sources are range-checked where they are read (flag, config).
        let timeout = o.readTimeout ?? config.readTimeoutSeconds ?? 120
        let transport = HTTPChatTransport(readTimeout: .milliseconds(Int(clamping: timeout * 1000)))
        return Services(
            provider: provider, transport: transport, log: log,
            prices: PriceTable.builtIn.overridden(by: config.prices),
            config: config, sim: sim, connection: o, quiet: quiet, simScenario: simScenario)
    }

    static func loadConfig(_ o: ConnectionOptions) throws -> WorkbenchConfig {
        let env = ProcessInfo.processInfo.environment
        do {
            return try WorkbenchConfig.load(path: o.config ?? WorkbenchConfig.defaultPath(environment: env))
        } catch let e as WorkbenchConfig.ConfigError { throw CLIFailure.usage(e.description) }
    }

    private static func openLog(_ dataDir: String, config: WorkbenchConfig) throws -> RunLog {
        do {
            return try RunLog(
                dataDir: dataDir, eventBudget: config.logEventBudgetMiB.map { $0 << 20 } ?? RunLog.defaultEventBudget)
        } catch { throw CLIFailure.usage("\(error)") } // one line: "cannot use DIR as the data dir: …"
    }

    /// Resolves a provider by name with these services' config and connection options; the
    /// simulator is started once and shared by every provider that needs it.
    mutating func provider(named name: String) async throws -> Provider {
        try await Self.resolve(
            name, config: config, connection: connection, quiet: quiet, simScenario: simScenario, sim: &sim)
    }

    private static func resolve(
        _ name: String, config: WorkbenchConfig, connection o: ConnectionOptions, quiet: Bool,
        simScenario: String = "text", sim: inout GLMSimServer?
    ) async throws -> Provider {
        let env = ProcessInfo.processInfo.environment
        let running = sim
        let started = StartedSim()
        var provider: Provider
        do {
            provider = try await ProviderResolver(environment: env, config: config).resolve(
                name: name, baseURL: o.baseURL.flatMap(URL.init(string:)), region: o.region,
                localURL: {
                    let port = config.localPort
                    return try await onOwnThread { try LocalModel.ensure(port: port, quiet: quiet) }
                },
                simURL: {
                    if let running { return running.baseURL }
                    let s = try await GLMSimServer.start(defaultScenario: simScenario)
                    started.server = s
                    return s.baseURL
                })
        } catch let e as ProviderResolver.ResolveError {
            throw CLIFailure.usage(e.description)
        }
        if let s = started.server { sim = s }
        if let scenario = o.scenario {
            guard provider.kind == .sim else { throw CLIFailure.usage("--scenario only applies to --provider sim") }
            provider.extraHeaders.append(("X-GLMSim-Scenario", scenario))
        }
        return provider
    }

    /// The provider and prices a command would use, without starting the local model or the
    /// simulator and without opening the log (for `--dry-run`).
    static func describe(_ o: ProviderOptions) async throws -> (Provider, PriceTable) {
        try await describe(provider: o.provider, o.connection)
    }

    static func describe(provider: String?, _ o: ConnectionOptions) async throws -> (Provider, PriceTable) {
        let env = ProcessInfo.processInfo.environment
        let config = try loadConfig(o)
        let resolver = ProviderResolver(environment: env, config: config)
        let placeholder = URL(string: "http://127.0.0.1:0/v1")!
        do {
            let p = try await resolver.resolve(
                name: provider ?? resolver.defaultProviderName(), baseURL: o.baseURL.flatMap(URL.init(string:)),
                region: o.region, localURL: { placeholder }, simURL: { placeholder })
            return (p, PriceTable.builtIn.overridden(by: config.prices))
        } catch ProviderResolver.ResolveError.noKey(let name) {
            // A dry run sends nothing, so it needs no key: estimate at that provider's prices.
            let region = o.region == "cn" ? Provider.zaiChina : Provider.zaiInternational
            return (
                Provider(
                    name: name, kind: .zai, baseURL: region, apiKey: nil, defaultModel: Provider.glmModel, free: false),
                PriceTable.builtIn.overridden(by: config.prices)
            )
        } catch let e as ProviderResolver.ResolveError {
            throw CLIFailure.usage(e.description)
        }
    }

    /// Whether the provider these options name serves GLM models (Z.AI, GLMSim), decided from the
    /// name alone: no key is resolved and no server started.
    static func servesGLM(_ o: ProviderOptions) throws -> Bool {
        let env = ProcessInfo.processInfo.environment
        let name =
            try o.provider ?? ProviderResolver(environment: env, config: loadConfig(o.connection)).defaultProviderName()
        return servesGLM(name: name)
    }

    /// Decided from the name alone: no key is resolved and no server started.
    static func servesGLM(name: String) -> Bool { name == "zai" || name == "sim" }

    /// `max_event_mib` from the config, in bytes (default 64 MiB).
    var maxEventBytes: Int { config.maxEventMiB.map { $0 << 20 } ?? SSEParser.defaultMaxEventBytes }

    func session(system: String?) -> Session {
        session(system: system, provider: provider)
    }

    /// A session on another provider (an evaluation column) sharing the transport and the log.
    func session(system: String?, provider: Provider) -> Session {
        Session(
            provider: provider, transport: transport, log: log, prices: prices, system: system,
            maxEventBytes: maxEventBytes)
    }

    /// Waits for the log's writes; a write that failed stays in `log.failure`, which the
    /// commands report after printing what they have.
    func close() async {
        try? await log.flush()
        try? await transport.shutdown()
        try? await sim?.shutdown()
    }
}

/// The simulator a provider resolution started, if it started one (the resolver's closure cannot
/// write to an `inout`).
private final class StartedSim: @unchecked Sendable {
    var server: GLMSimServer?
}
