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

    /// - Parameter quiet: send the local model's progress messages to its log instead of the
    ///   terminal (the TUI owns the screen).
    static func open(_ o: ProviderOptions, quiet: Bool = false) async throws -> Services {
        let env = ProcessInfo.processInfo.environment
        let config: WorkbenchConfig
        do { config = try WorkbenchConfig.load(path: o.config ?? WorkbenchConfig.defaultPath(environment: env)) }
        catch let e as WorkbenchConfig.ConfigError { throw CLIFailure.usage(e.description) }
        let resolver = ProviderResolver(environment: env, config: config)
        let name = o.provider ?? resolver.defaultProviderName()
        var sim: GLMSimServer?
        var provider: Provider
        do {
            provider = try await resolver.resolve(
                name: name, baseURL: o.baseURL.flatMap(URL.init(string:)), region: o.region,
                localURL: {
                    let port = config.localPort
                    return try await Task.detached { try LocalModel.ensure(port: port, quiet: quiet) }.value
                },
                simURL: {
                    let s = try await GLMSimServer.start()
                    sim = s
                    return s.baseURL
                })
        } catch let e as ProviderResolver.ResolveError {
            throw CLIFailure.usage(e.description)
        }
        if let scenario = o.scenario {
            guard provider.kind == .sim else { throw CLIFailure.usage("--scenario only applies to --provider sim") }
            provider.extraHeaders.append(("X-GLMSim-Scenario", scenario))
        }
        let dataDir = RunLog.dataDir(flag: o.dataDir, config: config, environment: env)
        let log: RunLog
        do { log = try RunLog(dataDir: dataDir, eventBudget: config.logEventBudgetMiB.map { $0 << 20 } ?? RunLog.defaultEventBudget) }
        catch { throw CLIFailure.usage("\(error)") }  // one line: "cannot use DIR as the data dir: …"
        // Both sources are range-checked where they are read (flag, config).
        let timeout = o.readTimeout ?? config.readTimeoutSeconds ?? 120
        let transport = HTTPChatTransport(readTimeout: .milliseconds(Int(clamping: timeout * 1000)))
        return Services(provider: provider, transport: transport, log: log,
                         prices: PriceTable.builtIn.overridden(by: config.prices), config: config, sim: sim)
    }

    /// The provider and prices a command would use, without starting the local model or the
    /// simulator and without opening the log (for `--dry-run`).
    static func describe(_ o: ProviderOptions) async throws -> (Provider, PriceTable) {
        let env = ProcessInfo.processInfo.environment
        let config: WorkbenchConfig
        do { config = try WorkbenchConfig.load(path: o.config ?? WorkbenchConfig.defaultPath(environment: env)) }
        catch let e as WorkbenchConfig.ConfigError { throw CLIFailure.usage(e.description) }
        let resolver = ProviderResolver(environment: env, config: config)
        let placeholder = URL(string: "http://127.0.0.1:0/v1")!
        do {
            let p = try await resolver.resolve(name: o.provider ?? resolver.defaultProviderName(), baseURL: o.baseURL.flatMap(URL.init(string:)),
                                               region: o.region, localURL: { placeholder }, simURL: { placeholder })
            return (p, PriceTable.builtIn.overridden(by: config.prices))
        } catch ProviderResolver.ResolveError.noKey(let name) {
            // A dry run sends nothing, so it needs no key: estimate at that provider's prices.
            let region = o.region == "cn" ? Provider.zaiChina : Provider.zaiInternational
            return (Provider(name: name, kind: .zai, baseURL: region, apiKey: nil, defaultModel: Provider.glmModel, free: false),
                    PriceTable.builtIn.overridden(by: config.prices))
        } catch let e as ProviderResolver.ResolveError {
            throw CLIFailure.usage(e.description)
        }
    }

    /// Whether the provider these options name serves GLM models (Z.AI, GLMSim), decided from the
    /// name alone: no key is resolved and no server started.
    static func servesGLM(_ o: ProviderOptions) throws -> Bool {
        let env = ProcessInfo.processInfo.environment
        let config: WorkbenchConfig
        do { config = try WorkbenchConfig.load(path: o.config ?? WorkbenchConfig.defaultPath(environment: env)) }
        catch let e as WorkbenchConfig.ConfigError { throw CLIFailure.usage(e.description) }
        let name = o.provider ?? ProviderResolver(environment: env, config: config).defaultProviderName()
        return name == "zai" || name == "sim"
    }

    /// `max_event_mib` from the config, in bytes (default 64 MiB).
    var maxEventBytes: Int { config.maxEventMiB.map { $0 << 20 } ?? SSEParser.defaultMaxEventBytes }

    func session(system: String?) -> Session {
        Session(provider: provider, transport: transport, log: log, prices: prices, system: system, maxEventBytes: maxEventBytes)
    }

    /// Waits for the log's writes; a write that failed stays in `log.failure`, which the
    /// commands report after printing what they have.
    func close() async {
        try? await log.flush()
        try? await transport.shutdown()
        try? await sim?.shutdown()
    }
}
