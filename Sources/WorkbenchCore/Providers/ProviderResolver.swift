import Foundation

/// Turns a provider name plus the environment and config into a `Provider`. Local and sim need
/// a running server, so the caller supplies how to get their URLs.
public struct ProviderResolver: Sendable {
    public var environment: [String: String]
    public var config: WorkbenchConfig

    public init(environment: [String: String], config: WorkbenchConfig) {
        self.environment = environment
        self.config = config
    }

    public enum ResolveError: Error, CustomStringConvertible, Equatable {
        case noKey(String)
        case unknownProvider(String, [String])
        case keyCommandFailed(String)
        case needsBaseURL(String)
        public var description: String {
            switch self {
            case .noKey(let p): return "no API key for \(p): set ZAI_API_KEY (or ZHIPUAI_API_KEY), or zai.api_key_command in the config; or use --provider local / sim"
            case .unknownProvider(let n, let known): return "unknown provider '\(n)' (known: \(known.joined(separator: ", ")))"
            case .keyCommandFailed(let m): return "api_key_command failed: \(m)"
            case .needsBaseURL(let n): return "provider '\(n)' needs --base-url"
            }
        }
    }

    public var knownNames: [String] { ["zai", "local", "sim", "openai"] + config.providers.keys.sorted() }

    /// The Z.AI key from the environment (ZAI_API_KEY, then ZHIPUAI_API_KEY, then ZHIPU_API_KEY).
    public var zaiKeyFromEnvironment: Secret? {
        for name in ["ZAI_API_KEY", "ZHIPUAI_API_KEY", "ZHIPU_API_KEY"] {
            if let v = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty { return Secret(v) }
        }
        return nil
    }

    /// Flag, then config, then zai when a key is at hand, else the embedded local model.
    public func defaultProviderName() -> String {
        if let p = config.defaultProvider { return p }
        return zaiKeyFromEnvironment != nil || config.zaiAPIKeyCommand != nil ? "zai" : "local"
    }

    /// The model a provider answers with when none is named, from its name alone (no key, no
    /// server): what an evaluation column says it ran on before anything is sent.
    public func defaultModel(for name: String) -> String {
        switch name {
        case "local": return Provider.localModel
        case "zai", "sim", "openai": return Provider.glmModel
        default: return config.providers[name]?.model ?? Provider.glmModel
        }
    }

    public func resolve(name: String, baseURL override: URL?, region: String?,
                        localURL: () async throws -> URL, simURL: () async throws -> URL) async throws -> Provider {
        switch name {
        case "zai":
            var key = zaiKeyFromEnvironment
            if key == nil, let cmd = config.zaiAPIKeyCommand { key = try await onOwnThread { try KeyCommand.run(cmd) } }
            guard let key else { throw ResolveError.noKey("zai") }
            let region = region ?? config.zaiRegion ?? "intl"
            let envURL = (environment["ZAI_BASE_URL"] ?? environment["ZHIPUAI_BASE_URL"]).flatMap { $0.isEmpty ? nil : URL(string: $0) }
            let base = override ?? envURL ?? (region == "cn" ? Provider.zaiChina : Provider.zaiInternational)
            return Provider(name: "zai", kind: .zai, baseURL: base, apiKey: key, defaultModel: Provider.glmModel, free: false)
        case "local":
            var base = override
            if base == nil { base = try await localURL() }
            return Provider(name: "local", kind: .local, baseURL: base!, apiKey: nil, defaultModel: Provider.localModel, free: true)
        case "sim":
            var base = override
            if base == nil { base = try await simURL() }
            return Provider(name: "sim", kind: .sim, baseURL: base!, apiKey: nil, defaultModel: Provider.glmModel, free: true)
        case "openai":
            guard let override else { throw ResolveError.needsBaseURL("openai") }
            let key = environment["OPENAI_API_KEY"].flatMap { $0.isEmpty ? nil : Secret($0) }
            return Provider(name: "openai", kind: .openAICompatible, baseURL: override, apiKey: key, defaultModel: Provider.glmModel, free: false)
        default:
            guard let p = config.providers[name] else { throw ResolveError.unknownProvider(name, knownNames) }
            var key: Secret?
            if let env = p.apiKeyEnv { key = environment[env].flatMap { $0.isEmpty ? nil : Secret($0) } }
            if key == nil, let cmd = p.apiKeyCommand { key = try await onOwnThread { try KeyCommand.run(cmd) } }
            return Provider(name: name, kind: .openAICompatible, baseURL: override ?? URL(string: p.baseURL)!, apiKey: key,
                            defaultModel: p.model ?? Provider.glmModel, free: p.free,
                            extraHeaders: p.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
        }
    }
}
